package io.certflow.order;

import io.certflow.events.CertflowEvent;
import io.certflow.events.Topics;
import io.certflow.events.v1.CertificateIssued;
import io.certflow.events.v1.IssuanceFailed;
import io.certflow.events.v1.PurchaseCancelled;
import io.certflow.events.v1.PurchaseCompleted;
import io.certflow.order.ordering.Order;
import io.certflow.testsupport.ServiceIT;
import io.certflow.testsupport.TopicProbe;
import io.certflow.testsupport.messaging.HostileKind;
import io.certflow.testsupport.messaging.HostileRecords;
import io.certflow.testsupport.messaging.HostileRecordsContract;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import static org.awaitility.Awaitility.await;

/**
 * Every topic order-service consumes gets every kind of hostile record ({@link HostileRecords}): each is
 * dead-lettered or skipped and counted, an event of another account does not touch account-a's order,
 * and the valid event sent after them all is applied (a new order, or the existing order's document
 * remembers it).
 */
@ServiceIT
class HostileRecordsIT extends HostileRecordsContract<HostileRecordsIT.Existing> {

    @Autowired
    TopicProbe topics;

    /** An order of account-a that exists, as a purchase made it. */
    record Existing(PurchaseCompleted purchase, String orderId, String certificateId) {
    }

    @Override
    protected Map<String, Function<Existing, Row>> rows() {
        return Map.of(
                Topics.PURCHASE_COMPLETED, existing -> {
                    PurchaseCompleted next = purchase("hostile-" + UUID.randomUUID());
                    return new Row(next, existing.purchase(), List.of(HostileKind.values()),
                            mongo -> mongo.findById(Order.upstreamId(next.orderId()), Order.class) != null);
                },
                Topics.PURCHASE_CANCELLED, existing -> applied(existing, new PurchaseCancelled(UUID.randomUUID(),
                        Instant.now(), "account-a", existing.orderId(), "asked", false)),
                Topics.CERTIFICATE_ISSUED, existing -> applied(existing, new CertificateIssued(UUID.randomUUID(),
                        Instant.now(), "account-a", existing.certificateId(), "att-1", "0a01", "ff0a01", Instant.now(),
                        Instant.now().plus(90, ChronoUnit.DAYS), List.of("hostile.example"), "CN=Test CA", "PEM", null)),
                Topics.ISSUANCE_FAILED, existing -> applied(existing, new IssuanceFailed(UUID.randomUUID(), Instant.now(),
                        "account-a", existing.certificateId(), "att-1", "the CA said no",
                        "urn:ietf:params:acme:error:rejectedIdentifier", false)));
    }

    @Override
    protected Existing existing() {
        PurchaseCompleted purchase = purchase("hostile-" + UUID.randomUUID());
        topics.publish(purchase);
        String id = Order.upstreamId(purchase.orderId());
        await().atMost(WAIT).until(() -> mongo.findById(id, Order.class) != null);
        return new Existing(purchase, purchase.orderId(), mongo.findById(id, Order.class).getCertificateId());
    }

    @Override
    protected String ownerOf(Existing existing) {
        return mongo.findById(Order.upstreamId(existing.orderId()), Order.class).getAccountId();
    }

    private static Row applied(Existing existing, CertflowEvent valid) {
        return Row.of(valid, mongo -> mongo.findById(Order.upstreamId(existing.orderId()), Order.class)
                .hasApplied(valid.eventId()));
    }

    private static PurchaseCompleted purchase(String orderId) {
        return new PurchaseCompleted(UUID.randomUUID(), Instant.now(), "account-a", orderId, "dv-single",
                List.of("hostile.example"), 1, true);
    }
}
