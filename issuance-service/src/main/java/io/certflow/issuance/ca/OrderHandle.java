package io.certflow.issuance.ca;

import java.net.URI;
import java.util.Objects;

/**
 * What the caller keeps to continue an order later: the account that placed it and the order's URL
 * at the CA. Storing the URL (not a live object) is what lets a scheduled poll resume an order after
 * a restart.
 *
 * @param account  the account that placed the order
 * @param orderUrl the order's URL at the CA
 */
public record OrderHandle(CaAccount account, URI orderUrl) {

    public OrderHandle {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(orderUrl, "orderUrl");
    }
}
