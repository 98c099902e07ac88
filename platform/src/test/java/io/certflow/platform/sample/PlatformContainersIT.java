package io.certflow.platform.sample;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Projections;
import io.certflow.platform.outbox.OutboxRelay;
import io.certflow.testsupport.ContainersServiceIT;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@link PlatformFlows} on a real MongoDB and Kafka in containers; skipped without a Docker engine. */
@ContainersServiceIT
class PlatformContainersIT extends PlatformFlows {

    /** Only a real MongoDB has a query planner: the Mongo wire server scans every collection whole. */
    @Test
    void theRelaysScanIsAnsweredFromThePartialIndexOfPendingDocuments() {
        MongoCollection<Document> orders = mongo.getCollection(mongo.getCollectionName(SampleOrder.class));
        await().atMost(Duration.ofSeconds(30)).until(() -> orders.listIndexes().map(i -> i.getString("name"))
                .into(new ArrayList<>()).contains(OutboxRelay.SCAN_INDEX));
        Outboxes.leftByAStoppedProcess(mongo, "o-explained");

        Document plan = orders.find(OutboxRelay.PENDING).projection(Projections.include("_id")).explain();

        assertThat(plan.toJson()).contains("IXSCAN").contains(OutboxRelay.SCAN_INDEX).doesNotContain("COLLSCAN");
    }
}
