package io.certflow.hosting.maintenance;

import io.certflow.hosting.persistence.AccountSettingsRepository;
import io.certflow.hosting.renewal.RenewalPlanner;
import io.certflow.hosting.renewal.RenewalPolicy;
import org.springframework.stereotype.Component;

/**
 * Looks up an account's maintenance windows, and binds them to the renewal policy for planning.
 */
@Component
public class MaintenanceCalendar {

    private final AccountSettingsRepository settings;
    private final RenewalPolicy policy;

    public MaintenanceCalendar(AccountSettingsRepository settings, RenewalPolicy policy) {
        this.settings = settings;
        this.policy = policy;
    }

    /** The windows of {@code accountId}; none when it set none. */
    public MaintenanceWindows windowsOf(String accountId) {
        return settings.findById(accountId).map(AccountSettings::maintenanceWindows).orElse(MaintenanceWindows.NONE);
    }

    /** The renewal policy under the windows of {@code accountId}. */
    public RenewalPlanner plannerFor(String accountId) {
        return new RenewalPlanner(policy, windowsOf(accountId));
    }
}
