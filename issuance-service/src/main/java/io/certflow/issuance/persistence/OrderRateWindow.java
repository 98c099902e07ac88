package io.certflow.issuance.persistence;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

import java.util.ArrayList;
import java.util.List;

/**
 * The new-order limiter state of one (CA profile, ACME account): the orders placed inside the current
 * window. Several service instances share it; a slot is claimed by a conditional update on
 * {@code version} (no transactions), so two instances cannot both take the last slot.
 */
@Document("order_rate_windows")
public class OrderRateWindow {

    @Id
    private String id;
    private String caProfile;
    private String accountId;
    private List<OrderSlot> orders = new ArrayList<>();
    private long version;

    protected OrderRateWindow() {
    }

    /** An empty window, at version 0. */
    public static OrderRateWindow empty(String caProfile, String accountId) {
        OrderRateWindow w = new OrderRateWindow();
        w.id = idOf(caProfile, accountId);
        w.caProfile = caProfile;
        w.accountId = accountId;
        return w;
    }

    /** The document id of a (profile, account) pair. */
    public static String idOf(String caProfile, String accountId) {
        return caProfile + "|" + accountId;
    }

    public String getId() {
        return id;
    }

    public String getCaProfile() {
        return caProfile;
    }

    public String getAccountId() {
        return accountId;
    }

    public List<OrderSlot> getOrders() {
        return orders == null ? List.of() : orders;
    }

    public long getVersion() {
        return version;
    }
}
