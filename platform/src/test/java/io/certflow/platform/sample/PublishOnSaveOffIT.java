package io.certflow.platform.sample;

import io.certflow.events.v1.CertificateRequested;
import io.certflow.platform.outbox.OutboxRelay;
import io.certflow.testsupport.ServiceIT;
import io.certflow.testsupport.TopicProbe;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code certflow.outbox.publish-on-save=false} a saved event stays in the outbox until a scan, as a
 * test that crashes a service between the save and the publish needs it.
 */
@ServiceIT
@TestPropertySource(properties = {"spring.application.name=sample-service",
        "certflow.outbox.publish-on-save=false", "certflow.outbox.scan-interval=1h"})
class PublishOnSaveOffIT {

    @Autowired
    TopicProbe topics;
    @Autowired
    MongoTemplate mongo;
    @Autowired
    OutboxRelay relay;

    @Test
    void aSavedEventWaitsForTheScan() throws InterruptedException {
        mongo.save(Outboxes.orderWithPendingEvent("o-kept"));

        Thread.sleep(1500);
        assertThat(Outboxes.pending(mongo, "o-kept")).isTrue();
        assertThat(topics.all(CertificateRequested.class)).extracting(CertificateRequested::orderId)
                .doesNotContain("o-kept");

        relay.scan();

        topics.await(CertificateRequested.class, e -> e.orderId().equals("o-kept"), Duration.ofSeconds(10));
        assertThat(Outboxes.pending(mongo, "o-kept")).isFalse();
    }
}
