package io.certflow.order.ordering;

import io.certflow.events.v1.CertificateRequested;
import io.certflow.events.v1.PurchaseAccepted;
import io.certflow.platform.outbox.Aggregate;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;

/**
 * One order: what was bought, for which account, and the managed certificate it became. Applying
 * an order raises {@link CertificateRequested} (and, for an upstream purchase, the answer
 * {@link PurchaseAccepted}) in the same document write, so both are published exactly when the order exists.
 *
 * <p>The document id is the public order id for API orders, and {@code upstream:<orderId>} for
 * purchases, so a replayed purchase finds its order instead of creating a second one.
 */
@Document("orders")
public class Order extends Aggregate {

    /** Prefix of the document id of an order that came from upstream billing. */
    public static final String UPSTREAM_ID_PREFIX = "upstream:";

    @Indexed(unique = true)
    private String orderId;
    @Indexed(unique = true)
    private String certificateId;
    private OrderSource source;
    private String purchaseEventId;
    private List<String> domains;
    private String product;
    private int termYears;
    private boolean hosting;
    private OrderStatus status;
    private Instant createdAt;
    private Instant termEndsAt;
    private String caProfile;
    private String keyType;
    private boolean reuseKey;

    /** For Spring Data. */
    protected Order() {
    }

    private Order(String id, String accountId) {
        super(id, accountId);
    }

    /**
     * A new order, applied at once: its certificate is requested with the same write.
     *
     * @param id              the document id ({@link #upstreamId(String)} for purchases)
     * @param orderId         the public order id
     * @param accountId       the buying account
     * @param certificateId   the new managed certificate's id
     * @param terms           what was bought, already checked
     * @param source          how the order came in
     * @param purchaseEventId the upstream event that created it (null for API orders)
     * @param now             the time of applying
     */
    public static Order apply(String id, String orderId, String accountId, String certificateId, OrderTerms terms,
                              OrderSource source, UUID purchaseEventId, Instant now) {
        return apply(id, orderId, accountId, certificateId, terms, null, KeyChoice.DEFAULT, source, purchaseEventId, now);
    }

    /**
     * A new order, applied at once: its certificate is requested with the same write, and, for a
     * purchase, the purchase is answered with {@link PurchaseAccepted} in that write too.
     *
     * @param id              the document id ({@link #upstreamId(String)} for purchases)
     * @param orderId         the public order id (the upstream order id for purchases)
     * @param accountId       the buying account
     * @param certificateId   the new managed certificate's id
     * @param terms           what was bought, already checked
     * @param caProfile       the product's CA profile, or null for the default profile
     * @param key             the key type and whether renewals keep the key
     * @param source          how the order came in
     * @param purchaseEventId the upstream event that created it (null for API orders)
     * @param now             the time of applying
     */
    public static Order apply(String id, String orderId, String accountId, String certificateId, OrderTerms terms,
                              String caProfile, KeyChoice key, OrderSource source, UUID purchaseEventId,
                              Instant now) {
        Order order = new Order(id, accountId);
        order.orderId = orderId;
        order.certificateId = certificateId;
        order.source = source;
        order.purchaseEventId = purchaseEventId == null ? null : purchaseEventId.toString();
        order.domains = terms.domains();
        order.product = terms.product();
        order.termYears = terms.termYears();
        order.hosting = terms.hosting();
        order.status = OrderStatus.APPLIED;
        order.createdAt = now;
        order.termEndsAt = terms.termEndsAt(now);
        order.caProfile = caProfile;
        order.keyType = key.keyType();
        order.reuseKey = key.reuseKey();
        order.raise(new CertificateRequested(UUID.randomUUID(), now, accountId, certificateId, orderId,
                order.domains, order.product, order.termYears, order.termEndsAt, order.hosting, caProfile,
                key.keyType(), key.reuseKey()));
        if (source == OrderSource.PURCHASE) {
            order.raise(new PurchaseAccepted(UUID.randomUUID(), now, accountId, orderId, certificateId, order.domains,
                    order.termEndsAt));
        }
        return order;
    }

    /** The document id of the order made from upstream order {@code upstreamOrderId}. */
    public static String upstreamId(String upstreamOrderId) {
        return UPSTREAM_ID_PREFIX + upstreamOrderId;
    }

    /**
     * Whether {@code terms} bought by {@code accountId} is what this order already records (the names in
     * any order).
     */
    public boolean sameAs(String accountId, OrderTerms terms) {
        return getAccountId().equals(accountId) && new HashSet<>(domains).equals(new HashSet<>(terms.domains()))
                && product.equals(terms.product())
                && termYears == terms.termYears() && hosting == terms.hosting();
    }

    public String getOrderId() {
        return orderId;
    }

    public String getCertificateId() {
        return certificateId;
    }

    public OrderSource getSource() {
        return source;
    }

    public String getPurchaseEventId() {
        return purchaseEventId;
    }

    public List<String> getDomains() {
        return domains;
    }

    public String getProduct() {
        return product;
    }

    public int getTermYears() {
        return termYears;
    }

    public boolean isHosting() {
        return hosting;
    }

    public OrderStatus getStatus() {
        return status;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getTermEndsAt() {
        return termEndsAt;
    }

    /** The CA profile of the product when ordered, or null for the default profile. */
    /** The key type asked for, or null for the CA profile's default. */
    public String getKeyType() {
        return keyType;
    }

    /** Whether renewals keep the certificate's key. */
    public boolean isReuseKey() {
        return reuseKey;
    }

    public String getCaProfile() {
        return caProfile;
    }
}
