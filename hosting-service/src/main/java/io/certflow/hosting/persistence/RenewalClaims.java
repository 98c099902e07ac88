package io.certflow.hosting.persistence;

import io.certflow.hosting.managing.ManagedCertificate;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Claims due certificates for one renewal scheduler instance, in batches, with a lease: the due ones are
 * found by the sparse {@code nextRenewalAt} index (only certificates with a renewal planned are in it), and
 * marked with this instance, a claim token and a lease end in one multi-document update, conditional on
 * being due and unclaimed (or their lease having ended). Only what carries this batch's token is returned,
 * so two instances never start the same certificate's renewal; the claim also moves the version, so a writer
 * holding the document from before must reload. A crashed instance's claims end with their lease and are
 * taken by another, and a claim reaching further ahead than a lease can (the clock was set back) counts as ended.
 * Starting the renewal (or moving it) releases the claim in the same write.
 */
@Component
public class RenewalClaims {

    private final MongoTemplate mongo;

    public RenewalClaims(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    /**
     * Claims up to {@code limit} certificates due at {@code now}, earliest first.
     *
     * @param instance who claims (for people looking at a document)
     * @param lease    how long the claim holds
     * @return the certificates this call claimed, earliest due first
     */
    public List<ManagedCertificate> claimDue(String instance, Instant now, Duration lease, int limit) {
        Query due = new Query(dueAndUnclaimed(now, lease)).with(Sort.by("nextRenewalAt")).limit(limit);
        due.fields().include("_id");
        List<Object> ids = mongo.find(due, org.bson.Document.class, collection()).stream()
                .map(d -> d.get("_id")).toList();
        if (ids.isEmpty()) {
            return List.of();
        }
        String token = UUID.randomUUID().toString();
        mongo.updateMulti(new Query(dueAndUnclaimed(now, lease).and("_id").in(ids)),
                new Update().set("claimedBy", instance).set("claimToken", token).set("claimedUntil", now.plus(lease))
                        .inc("version", 1L),
                ManagedCertificate.class);
        return mongo.find(new Query(Criteria.where("_id").in(ids).and("claimToken").is(token))
                .with(Sort.by("nextRenewalAt")), ManagedCertificate.class);
    }

    /**
     * Gives up this instance's claim on one certificate, for when another writer changed it between the claim
     * and the start of its renewal: it is due again on the next run instead of after the lease.
     */
    public void release(String id, String instance) {
        mongo.updateFirst(new Query(Criteria.where("_id").is(id).and("claimedBy").is(instance)),
                new Update().unset("claimedBy").unset("claimToken").unset("claimedUntil").inc("version", 1L),
                ManagedCertificate.class);
    }

    /**
     * Due, and not claimed: never claimed, its lease ended, or its lease ends further ahead than a lease can
     * reach (the clock was set back since the claim; waiting for it would delay the renewal by the jump).
     */
    private static Criteria dueAndUnclaimed(Instant now, Duration lease) {
        return Criteria.where("nextRenewalAt").lte(now)
                .orOperator(Criteria.where("claimedUntil").is(null), Criteria.where("claimedUntil").lte(now),
                        Criteria.where("claimedUntil").gt(now.plus(lease)));
    }

    private String collection() {
        return mongo.getCollectionName(ManagedCertificate.class);
    }
}
