package io.certflow.order.ordering;

import io.certflow.events.v1.PurchaseCompleted;
import io.certflow.events.v1.PurchaseRejected;
import io.certflow.platform.outbox.Aggregate;
import org.springframework.data.mongodb.core.mapping.Document;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * An upstream purchase that was refused for a business reason, kept so the refusal is answered once:
 * creating it raises {@link PurchaseRejected} in the same document write (the embedded outbox), and its
 * document id is the upstream order id, so a replayed purchase finds it instead of answering again.
 * It also records what was asked, to tell a replay from a different purchase reusing the order id.
 */
@Document("rejected_purchases")
public class RejectedPurchase extends Aggregate {

    private String purchaseEventId;
    private String product;
    private List<String> domains;
    private Integer termYears;
    private boolean hosting;
    private String reasonCode;
    private String reason;
    private Instant rejectedAt;

    /** For Spring Data. */
    protected RejectedPurchase() {
    }

    private RejectedPurchase(String orderId, String accountId) {
        super(orderId, accountId);
    }

    /**
     * The refusal of {@code purchase}, answered with {@link PurchaseRejected} when saved.
     *
     * @param refusal the rule the purchase broke, with its sentence
     * @param now     the time of refusing
     */
    public static RejectedPurchase of(PurchaseCompleted purchase, InvalidOrderException refusal, Instant now) {
        RejectedPurchase rejected = new RejectedPurchase(purchase.orderId(), purchase.accountId());
        rejected.purchaseEventId = purchase.eventId().toString();
        rejected.product = purchase.product();
        rejected.domains = purchase.domains();
        rejected.termYears = purchase.termYears();
        rejected.hosting = purchase.hosting();
        rejected.reasonCode = refusal.code().name();
        rejected.reason = refusal.getMessage();
        rejected.rejectedAt = now;
        rejected.markApplied(purchase.eventId());
        rejected.raise(new PurchaseRejected(UUID.randomUUID(), now, purchase.accountId(), purchase.orderId(),
                rejected.reasonCode, rejected.reason));
        return rejected;
    }

    /**
     * Whether {@code purchase} asks for what this refused purchase asked (names compared in canonical form
     * where they have one, in any order): a replay, not a different purchase reusing the order id.
     */
    public boolean sameAs(PurchaseCompleted purchase) {
        return getAccountId().equals(purchase.accountId()) && product.trim().equals(purchase.product().trim())
                && termYears.equals(purchase.termYears()) && hosting == purchase.hosting()
                && canonical(domains).equals(canonical(purchase.domains()));
    }

    private static Set<String> canonical(List<String> names) {
        Set<String> canonical = new HashSet<>();
        for (String name : names) {
            try {
                canonical.add(DomainNames.normalize(name));
            } catch (InvalidOrderException e) {
                canonical.add(name == null ? "" : name.trim().toLowerCase(Locale.ROOT));
            }
        }
        return canonical;
    }

    /** The upstream order id. */
    public String getOrderId() {
        return getId();
    }

    /** The purchase event that was refused first. */
    public String getPurchaseEventId() {
        return purchaseEventId;
    }

    /** The machine-readable reason ({@link ReasonCode} name). */
    public String getReasonCode() {
        return reasonCode;
    }

    /** The reason as a sentence. */
    public String getReason() {
        return reason;
    }

    /** When the purchase was refused. */
    public Instant getRejectedAt() {
        return rejectedAt;
    }
}
