package io.certflow.deployment.persistence;

import io.certflow.events.v1.MaintenanceWindow;
import io.certflow.events.v1.MaintenanceWindowsChanged;
import io.certflow.platform.maintenance.MaintenanceSchedule;
import io.certflow.platform.outbox.Aggregate;
import org.springframework.data.mongodb.core.mapping.Document;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * deployment-service's copy of one account's maintenance windows (id = the account id), kept from
 * {@code MaintenanceWindowsChanged}: hours in which no automatic deployment starts. The highest revision wins, so
 * an older change delivered late never overwrites a newer one.
 */
@Document("account_maintenance")
public class AccountMaintenance extends Aggregate {

    private List<MaintenanceWindow> windows = new ArrayList<>();
    private long revision;
    private Instant changedAt;

    protected AccountMaintenance() {
    }

    public AccountMaintenance(String accountId) {
        super(accountId, accountId);
    }

    /**
     * Takes the windows of {@code event} if it is newer than what is kept.
     *
     * @return whether they were taken
     */
    public boolean update(MaintenanceWindowsChanged event) {
        if (event.revision() <= revision) {
            return false;
        }
        windows = new ArrayList<>(event.windows());
        revision = event.revision();
        changedAt = event.occurredAt();
        return true;
    }

    /** The windows, for working out when a job may start. */
    public MaintenanceSchedule schedule() {
        return new MaintenanceSchedule(windows);
    }

    public List<MaintenanceWindow> getWindows() {
        return List.copyOf(windows);
    }

    public long getRevision() {
        return revision;
    }

    public Instant getChangedAt() {
        return changedAt;
    }
}
