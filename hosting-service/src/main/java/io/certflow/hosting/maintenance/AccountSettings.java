package io.certflow.hosting.maintenance;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.mongodb.core.mapping.Document;

import java.time.Instant;
import java.util.List;

/**
 * The hosting settings of one account (its id is the account id): for now its maintenance windows.
 */
@Document("account-settings")
public class AccountSettings {

    @Id
    private String accountId;
    @Version
    private Long version;
    private List<MaintenanceWindow> maintenanceWindows = List.of();
    private Instant updatedAt;

    /** For Spring Data. */
    protected AccountSettings() {
    }

    public AccountSettings(String accountId) {
        this.accountId = accountId;
    }

    public String getAccountId() {
        return accountId;
    }

    /** The account's maintenance windows. */
    public MaintenanceWindows maintenanceWindows() {
        return new MaintenanceWindows(maintenanceWindows);
    }

    /** Replaces the maintenance windows. */
    public void setMaintenanceWindows(List<MaintenanceWindow> windows, Instant now) {
        this.maintenanceWindows = List.copyOf(windows);
        this.updatedAt = now;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }
}
