package io.certflow.platform.maintenance;

import io.certflow.events.v1.MaintenanceWindow;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * One account's maintenance windows, and the one computation every service that holds work back shares: where a
 * start planned at some moment may happen. hosting-service moves renewals with it, deployment-service holds
 * automatic (renewal) deployments with it; the windows reach deployment-service as {@code MaintenanceWindowsChanged}.
 *
 * @param windows the account's windows; empty: work may start at any time
 */
public record MaintenanceSchedule(List<MaintenanceWindow> windows) {

    /** No window: work may start at any time. */
    public static final MaintenanceSchedule NONE = new MaintenanceSchedule(List.of());

    /** Windows chained back to back are followed at most this far. */
    private static final int MAX_HOPS = 32;

    public MaintenanceSchedule {
        windows = windows == null ? List.of() : List.copyOf(windows);
    }

    /**
     * Where work planned at {@code at} may start: {@code at} itself when no window covers it, else the end of the
     * window (or of a chain of windows) that covers it.
     *
     * @return the moment and the window that moved it, or {@code at} and null
     */
    public Outcome firstAllowed(Instant at) {
        Instant allowed = at;
        MaintenanceWindow moving = null;
        for (int hop = 0; hop < MAX_HOPS; hop++) {
            Instant until = null;
            for (MaintenanceWindow window : windows) {
                Instant end = blockedUntil(window, allowed);
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
     * The end of the occurrence of {@code window} that covers {@code at}, or null when {@code at} lies outside every
     * occurrence.
     */
    public static Instant blockedUntil(MaintenanceWindow window, Instant at) {
        ZoneId zone = ZoneId.of(window.timeZone());
        ZonedDateTime local = at.atZone(zone);
        // an occurrence that started today, or yesterday and runs over midnight, may cover it
        for (int daysBack = 0; daysBack <= 1; daysBack++) {
            ZonedDateTime day = local.minusDays(daysBack);
            if (!window.days().contains(day.getDayOfWeek())) {
                continue;
            }
            ZonedDateTime from = day.toLocalDate().atTime(window.start()).atZone(zone);
            ZonedDateTime to = day.toLocalDate().plusDays(window.overMidnight() ? 1 : 0).atTime(window.end()).atZone(zone);
            if (!local.isBefore(from) && local.isBefore(to)) {
                return to.toInstant();
            }
        }
        return null;
    }

    /**
     * Where work may start.
     *
     * @param at     the first moment allowed
     * @param window the last window that moved it, or null when none covered the planned time
     */
    public record Outcome(Instant at, MaintenanceWindow window) {

        /** Whether a window moved the planned time. */
        public boolean moved() {
            return window != null;
        }

        /** Why the start moved, for people (a job's or a renewal's reason); null when it did not. */
        public String reason() {
            return moved() ? "inside the maintenance window " + window.describe() + ": starts at " + at : null;
        }
    }
}
