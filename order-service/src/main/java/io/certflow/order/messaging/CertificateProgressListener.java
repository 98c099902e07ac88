package io.certflow.order.messaging;

import io.certflow.events.Topics;
import io.certflow.events.v1.CertificateIssued;
import io.certflow.events.v1.IssuanceFailed;
import io.certflow.order.ordering.OrderService;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Follows what became of each order's certificate, so that the order API shows it: a version issued
 * makes the order issued (or hosted), an issuance failure is shown until the next version. Each event is
 * applied once to the order document (the platform's idempotent apply); events of certificates no order
 * requested are ignored, and one whose account differs from the order's is refused to the dead-letter topic.
 */
@Component
public class CertificateProgressListener {

    private final OrderService orders;

    public CertificateProgressListener(OrderService orders) {
        this.orders = orders;
    }

    /** A version of an order's certificate was issued. */
    @KafkaListener(topics = Topics.CERTIFICATE_ISSUED)
    public void on(CertificateIssued event) {
        orders.issued(event);
    }

    /** An issuance attempt of an order's certificate failed. */
    @KafkaListener(topics = Topics.ISSUANCE_FAILED)
    public void on(IssuanceFailed event) {
        orders.issuanceFailed(event);
    }
}
