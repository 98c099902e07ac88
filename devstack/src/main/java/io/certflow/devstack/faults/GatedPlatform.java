package io.certflow.devstack.faults;

import io.certflow.devstack.CaGate;
import io.certflow.devstack.Component;
import io.certflow.devstack.Stack;
import io.certflow.devstack.StackConfig;

import java.util.EnumSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The platform with issuance-service reaching Pebble through a {@link CaGate}: the infrastructure of a configuration
 * is started first, then the gate in front of its Pebble, then the services with the gate as their CA directory. The
 * gate counts the ACME orders (duplicates show there), holds requests at a step and makes the CA unreachable, and
 * {@link #faults()} kills, stops and starts any process. For the fault tests and the soak bench.
 */
public final class GatedPlatform implements AutoCloseable {

    private final Stack infrastructure;
    private final CaGate gate;
    private final Stack services;
    private final Faults faults;

    private GatedPlatform(Stack infrastructure, CaGate gate, Stack services, Consumer<String> log) {
        this.infrastructure = infrastructure;
        this.gate = gate;
        this.services = services;
        this.faults = new Faults(gate, log, infrastructure, services);
    }

    /**
     * Starts the components of {@code config} (its infrastructure with Pebble, then its services) and waits until
     * each is ready; whatever started is stopped again when one does not.
     */
    public static GatedPlatform start(StackConfig config, Consumer<String> log) {
        Set<Component> infra = EnumSet.copyOf(config.components());
        infra.retainAll(Component.INFRASTRUCTURE);
        Set<Component> services = EnumSet.copyOf(config.components());
        services.retainAll(Component.SERVICES);
        Stack infrastructure = Stack.start(config.withComponents(infra), false, log);
        CaGate gate = null;
        try {
            gate = CaGate.start(infrastructure.pebble().port(), infrastructure.pebble().sslContext(), config.home());
            StackConfig servicesConfig = config.withComponents(services)
                    .withServiceProperty(Component.ISSUANCE_SERVICE, "certflow.issuance.ca.directory-url", gate.directoryUrl())
                    .withServiceProperty(Component.ISSUANCE_SERVICE, "certflow.issuance.ca.trusted-certificate",
                            gate.trustedCertificate().toString());
            return new GatedPlatform(infrastructure, gate, Stack.start(servicesConfig, false, log), log);
        } catch (RuntimeException e) {
            if (gate != null) {
                gate.close();
            }
            infrastructure.close();
            throw e;
        }
    }

    /** The configuration the services run with (the gate as CA directory). */
    public StackConfig config() {
        return services.config();
    }

    /** Kafka, the Mongo wire server, BIND, Pebble and nginx. */
    public Stack infrastructure() {
        return infrastructure;
    }

    /** The services' stack. */
    public Stack services() {
        return services;
    }

    public CaGate gate() {
        return gate;
    }

    public Faults faults() {
        return faults;
    }

    /** Stops the services, the infrastructure, then the gate. */
    @Override
    public void close() {
        services.close();
        infrastructure.close();
        gate.close();
    }
}
