package io.certflow.order.ordering;

/**
 * Where an order (and the subscription it bought) stands, as the API shows it. It moves forward from
 * what order-service does (purchase, application, cancellation) and from the events it consumes
 * ({@code CertificateIssued}); {@link #CANCELLED} is final.
 */
public enum OrderStatus {
    /** Bought without domains: the term runs, the certificate waits for the application. */
    PURCHASED,
    /** Applied: the certificate is requested (verification and issuance under way). */
    APPLIED,
    /** A certificate was issued; the order is not hosted, so it is not renewed. */
    ISSUED,
    /** A certificate was issued and is hosted: renewed for the whole term. */
    HOSTED,
    /** Cancelled (refunded, or by its owner): nothing is renewed or deployed any more. */
    CANCELLED
}
