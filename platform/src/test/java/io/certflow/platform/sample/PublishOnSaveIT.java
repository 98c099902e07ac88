package io.certflow.platform.sample;

import io.certflow.events.v1.CertificateRequested;
import io.certflow.testsupport.ServiceIT;
import io.certflow.testsupport.TopicProbe;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a service saves is published at once, by id, on the relay's thread: the scan runs only at start-up
 * here (its interval is an hour), so an event reaching the topic was published because it was saved. An
 * order written behind the relay's back (no save callback) shows whether a scan ran.
 */
@ServiceIT
@TestPropertySource(properties = {"spring.application.name=sample-service",
        "certflow.outbox.scan-interval=1h", "certflow.outbox.queue-capacity=2"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PublishOnSaveIT {

    @Autowired
    TopicProbe topics;
    @Autowired
    MongoTemplate mongo;

    @Test
    @Order(1)
    void aSavedEventIsOnTheTopicWithoutWaitingForTheScan() {
        Outboxes.leftByAStoppedProcess(mongo, "o-unannounced");

        mongo.save(Outboxes.orderWithPendingEvent("o-saved"));

        topics.await(CertificateRequested.class, e -> e.orderId().equals("o-saved"), Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(10)).until(() -> !Outboxes.pending(mongo, "o-saved"));
        assertThat(Outboxes.pending(mongo, "o-unannounced")).as("no scan ran: the saved order was published by id")
                .isTrue();
        assertThat(topics.all(CertificateRequested.class)).extracting(CertificateRequested::orderId)
                .doesNotContain("o-unannounced");
    }

    @Test
    @Order(2)
    void aBurstOfSavesLargerThanTheQueueIsAllPublished() {
        Outboxes.leftByAStoppedProcess(mongo, "o-before-burst");
        List<SampleOrder> burst = new ArrayList<>();
        IntStream.range(0, 60).forEach(i -> burst.add(Outboxes.orderWithPendingEvent("o-burst-" + i)));

        mongo.insertAll(burst); // 60 save callbacks in a row, for a queue of 2

        List<String> expected = new ArrayList<>(burst.stream().map(SampleOrder::getId).toList());
        await().atMost(Duration.ofSeconds(30)).until(() -> topics.all(CertificateRequested.class).stream()
                .map(CertificateRequested::orderId).toList().containsAll(expected));
        await().atMost(Duration.ofSeconds(10)).until(() -> expected.stream().noneMatch(id -> Outboxes.pending(mongo, id)));
        topics.await(CertificateRequested.class, e -> e.orderId().equals("o-before-burst"), Duration.ofSeconds(10));
        assertThat(topics.all(CertificateRequested.class).stream().filter(e -> e.orderId().startsWith("o-burst-")))
                .as("each event once").hasSize(burst.size());
    }
}
