package io.certflow.hosting.renewal;

import io.certflow.hosting.maintenance.MaintenanceWindows;

import java.time.Instant;

/**
 * The {@link RenewalPolicy} bound to one account's maintenance windows: what a managed certificate asks
 * when it plans its next renewal.
 *
 * @param policy  the service's renewal policy
 * @param windows the account's maintenance windows
 */
public record RenewalPlanner(RenewalPolicy policy, MaintenanceWindows windows) {

    /** The default policy without maintenance windows. */
    public static RenewalPlanner defaults() {
        return new RenewalPlanner(RenewalPolicy.defaults(), MaintenanceWindows.NONE);
    }

    /** The next renewal of the certificate {@code facts} describes. */
    public RenewalPlan plan(RenewalFacts facts, Instant now) {
        return policy.plan(facts, windows, now);
    }
}
