package io.certflow.issuance.issuing;

import io.certflow.issuance.persistence.AttemptState;
import io.certflow.issuance.persistence.IssuanceAttempt;
import io.certflow.issuance.persistence.IssuanceAttemptRepository;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Query;

import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.List;

import static org.springframework.data.mongodb.core.query.Criteria.where;

/**
 * {@link OrderIntents} on the attempts collection: the intent is a version-checked save of the attempt itself
 * (the saved document carries the new version, so the poller's later save of the step's outcome still applies),
 * and the questions are queries over the attempts.
 */
public class StoredOrderIntents implements OrderIntents {

    private final IssuanceAttemptRepository attempts;
    private final MongoTemplate mongo;

    public StoredOrderIntents(IssuanceAttemptRepository attempts, MongoTemplate mongo) {
        this.attempts = attempts;
        this.mongo = mongo;
    }

    @Override
    public void record(IssuanceAttempt attempt, Instant at) {
        attempt.orderIntended(at);
        attempts.save(attempt);
    }

    @Override
    public boolean orderTaken(String orderUrl) {
        return mongo.exists(Query.query(where("orderUrl").is(orderUrl)), IssuanceAttempt.class);
    }

    @Override
    public boolean othersMayOwn(IssuanceAttempt attempt) {
        List<IssuanceAttempt> others = mongo.find(Query.query(where("accountId").is(attempt.getAccountId())
                .and("state").is(AttemptState.NEW).and("orderIntentAt").ne(null).and("_id").ne(attempt.getId())),
                IssuanceAttempt.class);
        Set<String> domains = lowerCase(attempt.getDomains());
        return others.stream().anyMatch(o -> o.getOrderUrl() == null
                && java.util.Objects.equals(o.getCaProfile(), attempt.getCaProfile())
                && lowerCase(o.getDomains()).equals(domains));
    }

    private static Set<String> lowerCase(List<String> domains) {
        Set<String> set = new TreeSet<>();
        domains.forEach(d -> set.add(d.toLowerCase(Locale.ROOT)));
        return set;
    }
}
