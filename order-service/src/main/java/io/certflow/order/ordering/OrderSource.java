package io.certflow.order.ordering;

/** How an order came in, so that support can tell an API order from a billed purchase. */
public enum OrderSource {
    /** {@code POST /api/v1/orders}. */
    API,
    /** A {@code PurchaseCompleted} from upstream billing. */
    PURCHASE
}
