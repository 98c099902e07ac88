package io.certflow.order.web;

/**
 * Body of {@code POST /api/v1/orders/{orderId}/cancellation} (optional as a whole).
 *
 * @param reason why, for people (optional, at most 500 characters); carried in {@code OrderCancelled}
 * @param revoke also revoke the live certificate at the CA (default false)
 */
public record CancellationRequest(String reason, Boolean revoke) {

    /** Longest reason accepted. */
    public static final int MAX_REASON_LENGTH = 500;
}
