package io.certflow.platform.sample;

import io.certflow.events.v1.CertificateRequested;
import io.certflow.events.v1.PurchaseCompleted;
import io.certflow.platform.outbox.Aggregate;
import org.springframework.data.mongodb.core.mapping.Document;

import java.time.Instant;
import java.util.UUID;

/** A test aggregate: one per purchase, raising a certificate request. */
@Document("sample_orders")
public class SampleOrder extends Aggregate {

    private int purchasesApplied;

    protected SampleOrder() {
    }

    SampleOrder(String id, String accountId) {
        super(id, accountId);
    }

    void apply(PurchaseCompleted purchase) {
        purchasesApplied++;
        raise(new CertificateRequested(UUID.randomUUID(), Instant.now(), purchase.accountId(), "crt-" + purchase.orderId(),
                purchase.orderId(), purchase.domains(), purchase.product(), purchase.termYears(), null,
                purchase.hosting(), null, null));
    }

    public int purchasesApplied() {
        return purchasesApplied;
    }
}
