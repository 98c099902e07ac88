package io.certflow.deployment.messaging;

import io.certflow.deployment.deploying.RenewalDeployments;
import io.certflow.events.Topics;
import io.certflow.events.v1.OrderCancelled;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Hears cancelled orders: their certificates' deployment tasks stop inheriting renewals. */
@Component
public class OrderCancelledListener {

    private final RenewalDeployments renewals;

    public OrderCancelledListener(RenewalDeployments renewals) {
        this.renewals = renewals;
    }

    @KafkaListener(topics = Topics.ORDER_CANCELLED)
    public void on(OrderCancelled event) {
        renewals.cancelled(event);
    }
}
