package io.certflow.events.v1;

import io.certflow.events.CertflowEvent;
import io.certflow.events.Require;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An account set its maintenance windows (hosting-service, {@code PUT /api/v1/maintenance-windows}): the full list
 * as it is now, so that a service which holds work back (deployment-service holds automatic deployments) keeps its
 * own copy without asking hosting. An account-wide event: keyed by {@code accountId}, it has no certificate.
 *
 * @param windows  every window of the account now; empty: work may start at any time
 * @param revision counts the changes of the account's windows, from 1; a consumer keeps the highest it saw, so an
 *                 older change delivered late never overwrites a newer one
 */
public record MaintenanceWindowsChanged(UUID eventId, Instant occurredAt, String accountId,
                                        List<MaintenanceWindow> windows, Long revision) implements CertflowEvent {

    public MaintenanceWindowsChanged {
        Require.present(eventId, "eventId");
        Require.present(occurredAt, "occurredAt");
        Require.present(accountId, "accountId");
        Require.present(revision, "revision");
        if (windows == null) {
            throw new IllegalArgumentException("missing required field 'windows'");
        }
        if (revision < 1) {
            throw new IllegalArgumentException("'revision' must be at least 1");
        }
        windows = List.copyOf(windows);
        for (int i = 0; i < windows.size(); i++) {
            List<String> problems = windows.get(i).problems();
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("windows[" + i + "]." + String.join("; windows[" + i + "].", problems));
            }
        }
    }

    /** Keyed by the account: its windows are one thing, whatever certificate they hold back. */
    @Override
    public String subject() {
        return accountId;
    }
}
