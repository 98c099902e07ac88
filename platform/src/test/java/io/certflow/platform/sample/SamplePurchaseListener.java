package io.certflow.platform.sample;

import io.certflow.events.Topics;
import io.certflow.events.v1.PurchaseCompleted;
import io.certflow.platform.apply.IdempotentApply;
import io.certflow.platform.messaging.RejectedEventException;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import java.util.concurrent.atomic.AtomicInteger;

/** Applies purchases idempotently; refuses a product named "refused"; fails "flaky" twice. */
@Component
public class SamplePurchaseListener {

    final AtomicInteger flakyCalls = new AtomicInteger();
    private final IdempotentApply apply;

    public SamplePurchaseListener(IdempotentApply apply) {
        this.apply = apply;
    }

    @KafkaListener(topics = Topics.PURCHASE_COMPLETED)
    public void on(PurchaseCompleted purchase) {
        if (purchase.product().equals("refused")) {
            throw new RejectedEventException("product 'refused' is not sold");
        }
        if (purchase.product().equals("flaky") && flakyCalls.incrementAndGet() <= 2) {
            throw new IllegalStateException("transient failure " + flakyCalls.get());
        }
        apply.apply(SampleOrder.class, purchase.orderId(), purchase,
                () -> new SampleOrder(purchase.orderId(), purchase.accountId()), order -> order.apply(purchase));
    }
}
