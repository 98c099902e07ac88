package io.certflow.deployment.persistence;

import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * Brings a {@code deployment_jobs} collection written before reruns were jobs of their own up to date, at start-up
 * and before the runner or the listeners use it: every job without a {@code sequence} is the first of its task,
 * version and trigger, and the old unique index {@code task_serial_trigger}, which allowed one job per task, version
 * and trigger only, is dropped (its successor {@code task_serial_trigger_sequence} is made from the
 * {@link DeploymentJob} mapping). Does nothing on a new database.
 */
@Component
public class DeploymentJobIndexes implements SmartInitializingSingleton {

    static final String OLD_UNIQUE_INDEX = "task_serial_trigger";
    private static final Logger log = LoggerFactory.getLogger(DeploymentJobIndexes.class);

    private final MongoTemplate mongo;

    public DeploymentJobIndexes(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    @Override
    public void afterSingletonsInstantiated() {
        long numbered = mongo.updateMulti(new Query(Criteria.where("sequence").exists(false)),
                new Update().set("sequence", 1), DeploymentJob.class).getModifiedCount();
        if (numbered > 0) {
            log.info("deployment jobs: {} job(s) written before reruns were their own jobs numbered as first runs", numbered);
        }
        String collection = mongo.getCollectionName(DeploymentJob.class);
        for (Document index : mongo.getCollection(collection).listIndexes()) {
            if (OLD_UNIQUE_INDEX.equals(index.getString("name"))) {
                mongo.getCollection(collection).dropIndex(OLD_UNIQUE_INDEX);
                log.info("deployment jobs: dropped the unique index {} (one job per task, version and trigger)", OLD_UNIQUE_INDEX);
            }
        }
    }
}
