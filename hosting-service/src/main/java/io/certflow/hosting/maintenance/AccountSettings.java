package io.certflow.hosting.maintenance;

import io.certflow.events.v1.MaintenanceWindow;
import io.certflow.events.v1.MaintenanceWindowsChanged;
import io.certflow.platform.outbox.Aggregate;
import org.springframework.data.mongodb.core.mapping.Document;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The hosting settings of one account (its id is the account id): for now its maintenance windows. Setting them
 * raises {@code MaintenanceWindowsChanged} in the same write (the embedded outbox), so that deployment-service holds
 * automatic deployments back in the same hours as hosting holds renewals.
 */
@Document("account-settings")
public class AccountSettings extends Aggregate {

    private List<MaintenanceWindow> maintenanceWindows = List.of();
    private Instant updatedAt;
    /** How often the windows were set; the {@code revision} of the last {@code MaintenanceWindowsChanged}. */
    private long windowsRevision;

    /** For Spring Data. */
    protected AccountSettings() {
    }

    public AccountSettings(String accountId) {
        super(accountId, accountId);
    }

    /** The account id (also the document id; settings saved before they were an aggregate have no accountId field). */
    @Override
    public String getAccountId() {
        return getId();
    }

    /** The account's maintenance windows. */
    public MaintenanceWindows maintenanceWindows() {
        return new MaintenanceWindows(maintenanceWindows);
    }

    /** Replaces the maintenance windows and announces the whole new list with the next revision. */
    public void setMaintenanceWindows(List<MaintenanceWindow> windows, Instant now) {
        this.maintenanceWindows = List.copyOf(windows);
        this.updatedAt = now;
        announceWindows(now);
    }

    /** Announces the windows as they are, with the next revision (also for settings saved before announcements). */
    public void announceWindows(Instant now) {
        this.windowsRevision++;
        raise(new MaintenanceWindowsChanged(UUID.randomUUID(), now, getAccountId(), maintenanceWindows, windowsRevision));
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }

    public long getWindowsRevision() {
        return windowsRevision;
    }
}
