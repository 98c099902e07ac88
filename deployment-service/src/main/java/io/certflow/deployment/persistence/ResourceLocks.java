package io.certflow.deployment.persistence;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;

/**
 * One job at a time per resource, across instances: a lock document per resource ({@code resource_locks}, its
 * id the resource id) held by a job until it releases it or its lease ends (a runner that died).
 */
@Component
public class ResourceLocks {

    private static final String COLLECTION = "resource_locks";

    private final MongoTemplate mongo;

    public ResourceLocks(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    /**
     * Takes the lock of {@code resourceId} for {@code jobId} until {@code now + lease}.
     *
     * @return whether this job holds it now (it may hold it already)
     */
    public boolean acquire(String resourceId, String jobId, Instant now, Duration lease) {
        Query free = new Query(Criteria.where("_id").is(resourceId).orOperator(
                Criteria.where("until").lt(now), Criteria.where("jobId").is(jobId)));
        Update take = new Update().set("jobId", jobId).set("until", now.plus(lease));
        if (mongo.updateFirst(free, take, COLLECTION).getMatchedCount() > 0) {
            return true;
        }
        try {
            mongo.insert(new org.bson.Document("_id", resourceId).append("jobId", jobId)
                    .append("until", java.util.Date.from(now.plus(lease))), COLLECTION);
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    /** The job that holds {@code resourceId}'s lock, or null. */
    public String holder(String resourceId) {
        org.bson.Document lock = mongo.findById(resourceId, org.bson.Document.class, COLLECTION);
        return lock == null ? null : lock.getString("jobId");
    }

    /** Gives the lock back, if {@code jobId} holds it. */
    public void release(String resourceId, String jobId) {
        mongo.remove(new Query(Criteria.where("_id").is(resourceId).and("jobId").is(jobId)), COLLECTION);
    }
}
