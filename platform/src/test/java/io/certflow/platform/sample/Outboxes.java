package io.certflow.platform.sample;

import io.certflow.events.v1.PurchaseCompleted;
import org.bson.Document;
import org.springframework.data.mongodb.core.MongoTemplate;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Sample orders with pending events, written and read the way the relay tests need them. */
final class Outboxes {

    private Outboxes() {
    }

    /** A new order with one pending {@code CertificateRequested} (for {@code crt-<orderId>}), not saved yet. */
    static SampleOrder orderWithPendingEvent(String orderId) {
        SampleOrder order = new SampleOrder(orderId, "account-a");
        order.apply(new PurchaseCompleted(UUID.randomUUID(), Instant.now(), "account-a", orderId, "dv-single",
                List.of("www.example.com"), 1, true));
        return order;
    }

    /**
     * Writes an order with a pending event straight into its collection, as a process that stopped
     * right after its save leaves it: no save callback told any relay about it.
     */
    static void leftByAStoppedProcess(MongoTemplate mongo, String orderId) {
        Document stored = new Document();
        mongo.getConverter().write(orderWithPendingEvent(orderId), stored);
        stored.put("version", 0L);
        mongo.getCollection(mongo.getCollectionName(SampleOrder.class)).insertOne(stored);
    }

    /** Whether the order's outbox still holds events. */
    static boolean pending(MongoTemplate mongo, String orderId) {
        return !mongo.findById(orderId, SampleOrder.class).pendingEvents().isEmpty();
    }
}
