package io.certflow.devstack;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * One process of the local stack. The name is what the CLI, the pid file and the log file use,
 * so that {@code ./certflow status} and {@code ./certflow logs kafka} speak the same words.
 */
public enum Component {
    MONGO("mongo", null),
    KAFKA("kafka", null),
    BIND("bind", null),
    PEBBLE("pebble", null),
    NGINX("nginx", null),
    ORDER_SERVICE("order-service", "order"),
    VERIFICATION_SERVICE("verification-service", "verification"),
    ISSUANCE_SERVICE("issuance-service", "issuance"),
    HOSTING_SERVICE("hosting-service", "hosting"),
    DEPLOYMENT_SERVICE("deployment-service", "deployment"),
    /** The web console: a Spring Boot jar like the services (no database), in front of their APIs. */
    CONSOLE("console", "console");

    /** Kafka, the Mongo wire server, BIND, Pebble and nginx. */
    public static final Set<Component> INFRASTRUCTURE = EnumSet.of(MONGO, KAFKA, BIND, PEBBLE, NGINX);
    /** The five certflow services. */
    public static final Set<Component> SERVICES =
            EnumSet.of(ORDER_SERVICE, VERIFICATION_SERVICE, ISSUANCE_SERVICE, HOSTING_SERVICE, DEPLOYMENT_SERVICE);
    /**
     * The platform: the infrastructure and the five services. Without the console, which {@code ./certflow up} and
     * the console's own tests add ({@link #WITH_CONSOLE}), so that the system tests start only what they need.
     */
    public static final Set<Component> ALL = EnumSet.complementOf(EnumSet.of(Component.CONSOLE));
    /** The platform and the console in front of it. */
    public static final Set<Component> WITH_CONSOLE = EnumSet.allOf(Component.class);

    private final String id;
    private final String shortName;

    Component(String id, String shortName) {
        this.id = id;
        this.shortName = shortName;
    }

    /** The name used for pid and log files and on the command line ({@code kafka}, {@code order-service}). */
    public String id() {
        return id;
    }

    /** For services: the Maven module / jar name, equal to {@link #id()}. */
    public String moduleName() {
        return id;
    }

    /**
     * For services: the short name used in the database name {@code certflow-<short>} (and the console's
     * {@code certflow.console.services.<short>}); null otherwise.
     */
    public String shortName() {
        return shortName;
    }

    /** True for the Spring Boot jars of this repository (the five services and the console), run by {@link ServiceProcess}. */
    public boolean isService() {
        return shortName != null;
    }

    /** Accepts {@code kafka}, {@code KAFKA}, {@code order-service}, {@code order}. */
    public static Component parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (Component c : values()) {
            if (c.id.equals(n) || n.equals(c.shortName) || c.name().equalsIgnoreCase(n)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown component '" + name + "', expected one of " + java.util.Arrays.stream(values()).map(Component::id).toList());
    }
}
