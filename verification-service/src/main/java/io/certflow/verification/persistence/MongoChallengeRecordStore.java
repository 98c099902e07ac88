package io.certflow.verification.persistence;

import io.certflow.verification.dns.server.ChallengeRecordStore;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The delegation zone's TXT records straight from the {@link ChallengeRecords} documents, read on
 * every DNS query: what the database holds is what the zone serves, on every instance.
 */
public class MongoChallengeRecordStore implements ChallengeRecordStore {

    private final MongoTemplate mongo;

    public MongoChallengeRecordStore(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    @Override
    public List<String> txtValues(String name) {
        Query query = new Query(Criteria.where("records.name").is(name)
                .and("state").in(ChallengeRecords.State.PUBLISHED.name(), ChallengeRecords.State.READY.name()));
        query.fields().include("records").include("state").include("accountId");
        Set<String> values = new LinkedHashSet<>();
        for (ChallengeRecords document : mongo.find(query, ChallengeRecords.class)) {
            for (ChallengeRecords.Entry entry : document.getRecords()) {
                if (entry.name().equals(name)) {
                    values.add(entry.txtValue());
                }
            }
        }
        return List.copyOf(values);
    }
}
