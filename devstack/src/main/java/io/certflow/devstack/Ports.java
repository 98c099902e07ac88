package io.certflow.devstack;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The loopback ports of one stack. {@link #defaults()} are the ones in {@code docs/api.md};
 * {@link #free()} picks unused ones so that tests can run beside a developer's running stack.
 */
public record Ports(
        int kafka,
        int kafkaController,
        int mongo,
        int pebble,
        int pebbleManagement,
        int bind,
        int nginx,
        int certflowDns,
        int order,
        int verification,
        int issuance,
        int hosting,
        int deployment,
        int console) {

    /** The documented defaults (docs/api.md). */
    public static Ports defaults() {
        return new Ports(9092, 9093, 27017, 14000, 15000, 5353, 8443, 8053, 8081, 8082, 8083, 8084, 8085, 8080);
    }

    /** Free loopback ports (TCP and UDP free for the DNS ones), all distinct. */
    public static Ports free() {
        Set<Integer> taken = new HashSet<>();
        return new Ports(pick(taken, false), pick(taken, false), pick(taken, false), pick(taken, false),
                pick(taken, false), pick(taken, true), pick(taken, false), pick(taken, true),
                pick(taken, false), pick(taken, false), pick(taken, false), pick(taken, false), pick(taken, false),
                pick(taken, false));
    }

    /**
     * The defaults, overridden by {@code CERTFLOW_KAFKA_PORT}, {@code CERTFLOW_KAFKA_CONTROLLER_PORT},
     * {@code CERTFLOW_MONGO_PORT}, {@code CERTFLOW_PEBBLE_PORT}, {@code CERTFLOW_PEBBLE_MANAGEMENT_PORT},
     * {@code CERTFLOW_BIND_PORT}, {@code CERTFLOW_NGINX_PORT}, {@code CERTFLOW_DNS_PORT},
     * {@code CERTFLOW_ORDER_PORT}, {@code CERTFLOW_VERIFICATION_PORT}, {@code CERTFLOW_ISSUANCE_PORT},
     * {@code CERTFLOW_HOSTING_PORT}, {@code CERTFLOW_DEPLOYMENT_PORT}, {@code CERTFLOW_CONSOLE_PORT}.
     */
    public static Ports fromEnvironment(Map<String, String> env) {
        Ports d = defaults();
        return new Ports(
                env(env, "CERTFLOW_KAFKA_PORT", d.kafka),
                env(env, "CERTFLOW_KAFKA_CONTROLLER_PORT", d.kafkaController),
                env(env, "CERTFLOW_MONGO_PORT", d.mongo),
                env(env, "CERTFLOW_PEBBLE_PORT", d.pebble),
                env(env, "CERTFLOW_PEBBLE_MANAGEMENT_PORT", d.pebbleManagement),
                env(env, "CERTFLOW_BIND_PORT", d.bind),
                env(env, "CERTFLOW_NGINX_PORT", d.nginx),
                env(env, "CERTFLOW_DNS_PORT", d.certflowDns),
                env(env, "CERTFLOW_ORDER_PORT", d.order),
                env(env, "CERTFLOW_VERIFICATION_PORT", d.verification),
                env(env, "CERTFLOW_ISSUANCE_PORT", d.issuance),
                env(env, "CERTFLOW_HOSTING_PORT", d.hosting),
                env(env, "CERTFLOW_DEPLOYMENT_PORT", d.deployment),
                env(env, "CERTFLOW_CONSOLE_PORT", d.console));
    }

    /** The main (client-facing) port of a component. */
    public int of(Component component) {
        return switch (component) {
            case MONGO -> mongo;
            case KAFKA -> kafka;
            case BIND -> bind;
            case PEBBLE -> pebble;
            case NGINX -> nginx;
            case ORDER_SERVICE -> order;
            case VERIFICATION_SERVICE -> verification;
            case ISSUANCE_SERVICE -> issuance;
            case HOSTING_SERVICE -> hosting;
            case DEPLOYMENT_SERVICE -> deployment;
            case CONSOLE -> console;
        };
    }

    /** True when something accepts TCP connections on 127.0.0.1:port. */
    public static boolean isListening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** True when the TCP port (and the UDP port, if asked) can be bound on 127.0.0.1 and on the wildcard. */
    public static boolean isFree(int port, boolean udpToo) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            return false;
        }
        if (isListening(port)) { // someone on 0.0.0.0 or another loopback binding
            return false;
        }
        if (udpToo) {
            try (DatagramSocket d = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
                return true;
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    /** Fails fast with a message that names the component when its port is taken. */
    public static void requireFree(int port, boolean udpToo, String what) {
        if (!isFree(port, udpToo)) {
            throw new DevstackException("port " + port + (udpToo ? " (tcp/udp)" : "") + " needed by " + what
                    + " is already in use on 127.0.0.1: stop whatever holds it (ss -ltnup | grep :" + port
                    + ") or choose another port (see ./certflow --help)");
        }
    }

    private static int pick(Set<Integer> taken, boolean udpToo) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            } catch (IOException e) {
                throw new DevstackException("cannot find a free port: " + e.getMessage(), e);
            }
            if (taken.contains(port) || !isFree(port, udpToo)) {
                continue;
            }
            taken.add(port);
            return port;
        }
        throw new DevstackException("cannot find a free port");
    }

    private static int env(Map<String, String> env, String name, int dflt) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new DevstackException(name + " must be a port number, got '" + v + "'");
        }
    }
}
