package io.certflow.hosting.maintenance;

import java.time.Instant;
import java.util.List;

/**
 * All maintenance windows of one account: the hours in which renewals must not start. A renewal planned
 * inside one is moved to its end (and past any window that follows at once).
 *
 * @param windows the account's windows; empty: renewals may start at any time
 */
public record MaintenanceWindows(List<MaintenanceWindow> windows) {

    /** No window: renewals may start at any time. */
    public static final MaintenanceWindows NONE = new MaintenanceWindows(List.of());

    /** Windows chained back to back are followed at most this far. */
    private static final int MAX_HOPS = 32;

    public MaintenanceWindows {
        windows = windows == null ? List.of() : List.copyOf(windows);
    }

    /**
     * Where a renewal planned at {@code at} may start: {@code at} itself when no window covers it, else the
     * end of the window (or of a chain of windows) that covers it.
     *
     * @return the moment and the window that moved it, or {@code at} and null
     */
    public Outcome firstAllowed(Instant at) {
        Instant allowed = at;
        MaintenanceWindow moving = null;
        for (int hop = 0; hop < MAX_HOPS; hop++) {
            Instant until = null;
            for (MaintenanceWindow window : windows) {
                Instant end = window.blockedUntil(allowed);
                if (end != null && (until == null || end.isAfter(until))) {
                    until = end;
                    moving = window;
                }
            }
            if (until == null) {
                break;
            }
            allowed = until;
        }
        return new Outcome(allowed, moving);
    }

    /**
     * Where a renewal may start.
     *
     * @param at     the first moment allowed
     * @param window the last window that moved it, or null when none covered the planned time
     */
    public record Outcome(Instant at, MaintenanceWindow window) {

        /** Whether a window moved the planned time. */
        public boolean moved() {
            return window != null;
        }
    }
}
