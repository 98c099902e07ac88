package io.certflow.deployment.messaging;

import io.certflow.deployment.deploying.MaintenanceHolds;
import io.certflow.events.Topics;
import io.certflow.events.v1.MaintenanceWindowsChanged;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Hears the accounts' maintenance windows from hosting-service: keeps the newest of each account, so that automatic
 * deployments wait out the same hours as renewals. Only writes documents.
 */
@Component
public class MaintenanceWindowsChangedListener {

    private final MaintenanceHolds holds;

    public MaintenanceWindowsChangedListener(MaintenanceHolds holds) {
        this.holds = holds;
    }

    @KafkaListener(topics = Topics.MAINTENANCE_WINDOWS_CHANGED)
    public void on(MaintenanceWindowsChanged event) {
        holds.windowsChanged(event);
    }
}
