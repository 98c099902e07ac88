package io.certflow.devstack.faults;

import io.certflow.devstack.Component;
import io.certflow.devstack.StackConfig;

/**
 * Service settings under which recovering from a fault takes seconds, not the defaults' minutes: a killed consumer
 * leaves its group after 6 s, a killed instance's claim or lease runs out after 5 s (issuance, hosting) or 15 s
 * (deployment), the CA backoff stays under 10 s and gives up only after 40 failures in a row, a renewal is looked
 * for every 2 s, and a resource nginx does not answer for is tried five times. The CA circuit breaker keeps its
 * defaults. For the fault tests and the soak bench, which must finish in minutes.
 */
public final class RecoveryTimings {

    private RecoveryTimings() {
    }

    /** {@code config} with the short settings added to its services' properties. */
    public static StackConfig apply(StackConfig config) {
        StackConfig c = config;
        for (Component service : Component.SERVICES) {
            c = c.withServiceProperty(service, "spring.kafka.consumer.properties.session.timeout.ms", "6000")
                    .withServiceProperty(service, "spring.kafka.consumer.properties.heartbeat.interval.ms", "1000");
        }
        return c
                .withServiceProperty(Component.ISSUANCE_SERVICE, "certflow.issuance.ca.request-timeout", "20s")
                .withServiceProperty(Component.ISSUANCE_SERVICE, "certflow.issuance.claim-lease", "5s")
                .withServiceProperty(Component.ISSUANCE_SERVICE, "certflow.issuance.poll-interval", "300ms")
                .withServiceProperty(Component.ISSUANCE_SERVICE, "certflow.issuance.order-poll-delay", "500ms")
                .withServiceProperty(Component.ISSUANCE_SERVICE, "certflow.issuance.backoff.initial", "1s")
                .withServiceProperty(Component.ISSUANCE_SERVICE, "certflow.issuance.backoff.max", "10s")
                .withServiceProperty(Component.ISSUANCE_SERVICE, "certflow.issuance.backoff.max-failures", "40")
                .withServiceProperty(Component.HOSTING_SERVICE, "certflow.hosting.renewal-check-interval", "2s")
                .withServiceProperty(Component.HOSTING_SERVICE, "certflow.hosting.claim-lease", "5s")
                .withServiceProperty(Component.DEPLOYMENT_SERVICE, "certflow.deployment.jobs.lease", "15s")
                .withServiceProperty(Component.DEPLOYMENT_SERVICE, "certflow.deployment.jobs.poll-interval", "500ms")
                .withServiceProperty(Component.DEPLOYMENT_SERVICE, "certflow.deployment.jobs.resource-attempts", "5");
    }
}
