package io.certflow.hosting.maintenance;

import io.certflow.events.v1.MaintenanceWindow;
import io.certflow.platform.maintenance.MaintenanceSchedule;

import java.time.Instant;
import java.util.List;

/**
 * All maintenance windows of one account, as hosting plans renewals with them: a renewal planned inside one is
 * moved to its end (and past any window that follows at once). Where a start may happen is computed by the
 * platform's {@link MaintenanceSchedule}, the same computation deployment-service holds automatic deployments with.
 *
 * @param windows the account's windows; empty: renewals may start at any time
 */
public record MaintenanceWindows(List<MaintenanceWindow> windows) {

    /** No window: renewals may start at any time. */
    public static final MaintenanceWindows NONE = new MaintenanceWindows(List.of());

    public MaintenanceWindows {
        windows = windows == null ? List.of() : List.copyOf(windows);
    }

    /**
     * Where a renewal planned at {@code at} may start: {@code at} itself when no window covers it, else the end of the
     * window (or of a chain of windows) that covers it.
     */
    public MaintenanceSchedule.Outcome firstAllowed(Instant at) {
        return new MaintenanceSchedule(windows).firstAllowed(at);
    }
}
