package io.certflow.deployment.persistence;

import io.certflow.testsupport.InMemoryMongo;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.domain.Sort;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code deployment_jobs} collection from before reruns were jobs of their own: its jobs become first runs and the
 * unique index that allowed one job per task, version and trigger goes, so that a rerun can be stored.
 */
class DeploymentJobIndexesTest {

    private final InMemoryMongo store = InMemoryMongo.start("job-indexes-test");
    private final MongoTemplate mongo = store.template();

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void oldJobsBecomeFirstRunsAndTheOldUniqueIndexIsDropped_soARerunCanBeStored() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        DeploymentTask task = new DeploymentTask("task-1", "acct", "cert-1", List.of("r1"), now);
        mongo.indexOps(DeploymentJob.class).ensureIndex(new Index().on("taskId", Sort.Direction.ASC)
                .on("serialNumber", Sort.Direction.ASC).on("trigger", Sort.Direction.ASC).unique()
                .named(DeploymentJobIndexes.OLD_UNIQUE_INDEX));
        DeploymentJob old = new DeploymentJob("job-1", task, "ab01", JobTrigger.SUBMIT, now);
        old.fail("nginx down", now);
        mongo.insert(old);
        mongo.getCollection("deployment_jobs").updateOne(new Document("_id", "job-1"),
                new Document("$unset", new Document("sequence", "")));

        new DeploymentJobIndexes(mongo).afterSingletonsInstantiated();
        new DeploymentJobIndexes(mongo).afterSingletonsInstantiated();

        assertThat(mongo.getCollection("deployment_jobs").find(new Document("_id", "job-1")).first().get("sequence"))
                .isEqualTo(1);
        List<String> indexes = new ArrayList<>();
        mongo.getCollection("deployment_jobs").listIndexes().forEach(i -> indexes.add(i.getString("name")));
        assertThat(indexes).doesNotContain(DeploymentJobIndexes.OLD_UNIQUE_INDEX);
        DeploymentJob rerun = mongo.insert(mongo.findById("job-1", DeploymentJob.class).rerun("job-2", task, now.plusSeconds(60)));
        assertThat(rerun.getSequence()).isEqualTo(2);
    }
}
