package io.certflow.deployment.target.haproxy;

import io.certflow.deployment.target.InvalidTargetConfigException;

import javax.net.ssl.SNIHostName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The settings of one HAProxy resource, read and checked from the resource's config map. Exists so that
 * {@link HaproxyTarget} works with typed values and a bad setting is reported, all at once, when the resource
 * is registered.
 *
 * @param certificatePath the combined PEM (chain + key) HAProxy's {@code bind … ssl crt} loads, absolute; also the
 *                        name of the certificate in HAProxy's runtime certificate store
 * @param adminSocket     HAProxy's stats socket with {@code level admin} (absolute path of a UNIX socket)
 * @param tlsHost         where HAProxy serves TLS, for the read-back
 * @param tlsPort         where HAProxy serves TLS, for the read-back
 * @param serverName      the name clients ask for (SNI), also what the certificate must cover
 */
public record HaproxyConfig(Path certificatePath, Path adminSocket, String tlsHost, int tlsPort, String serverName) {

    public static final String CERTIFICATE_PATH = "certificatePath";
    public static final String ADMIN_SOCKET = "adminSocket";
    public static final String TLS_ADDRESS = "tlsAddress";
    public static final String SERVER_NAME = "serverName";

    /** Every setting an HAProxy resource may have. */
    public static final Set<String> SETTINGS = Set.of(CERTIFICATE_PATH, ADMIN_SOCKET, TLS_ADDRESS, SERVER_NAME);

    /**
     * Reads and checks the settings.
     *
     * @param allowedDirectories the directories the certificate file may be written in and the admin socket may
     *                           be in (or below); empty allows any
     * @throws InvalidTargetConfigException naming every problem
     */
    public static HaproxyConfig parse(Map<String, String> config, Collection<Path> allowedDirectories) {
        List<String> problems = new ArrayList<>();
        Map<String, String> c = config == null ? Map.of() : config;
        c.keySet().stream().filter(k -> !SETTINGS.contains(k)).sorted()
                .forEach(k -> problems.add("unknown setting '" + k + "' (known: " + String.join(", ",
                        SETTINGS.stream().sorted().toList()) + ")"));

        Path certificate = path(c, CERTIFICATE_PATH, "an absolute file path, e.g. /etc/haproxy/certs/site.pem",
                allowedDirectories, problems);
        Path socket = path(c, ADMIN_SOCKET, "the absolute path of HAProxy's admin socket, e.g. /run/haproxy/admin.sock",
                allowedDirectories, problems);
        if (certificate != null && certificate.equals(socket)) {
            problems.add("'" + ADMIN_SOCKET + "' must differ from '" + CERTIFICATE_PATH + "'");
        }

        String host = null;
        int port = 0;
        String address = value(c, TLS_ADDRESS);
        if (address == null) {
            problems.add("'" + TLS_ADDRESS + "' is required (host:port where HAProxy serves TLS, e.g. 127.0.0.1:443)");
        } else {
            int colon = address.lastIndexOf(':');
            if (colon <= 0 || colon == address.length() - 1) {
                problems.add("'" + TLS_ADDRESS + "' must be host:port, e.g. 127.0.0.1:443");
            } else {
                host = address.substring(0, colon);
                if (host.startsWith("[") && host.endsWith("]")) {
                    host = host.substring(1, host.length() - 1);
                }
                try {
                    port = Integer.parseInt(address.substring(colon + 1));
                    if (port < 1 || port > 65535) {
                        problems.add("'" + TLS_ADDRESS + "' port must be 1-65535");
                    }
                } catch (NumberFormatException e) {
                    problems.add("'" + TLS_ADDRESS + "' port is not a number");
                }
            }
        }

        String serverName = value(c, SERVER_NAME);
        if (serverName == null) {
            problems.add("'" + SERVER_NAME + "' is required (the host name clients ask HAProxy for)");
        } else {
            try {
                new SNIHostName(serverName);
                if (!serverName.contains(".") || serverName.chars().anyMatch(Character::isWhitespace)) {
                    throw new IllegalArgumentException("not a host name");
                }
            } catch (IllegalArgumentException e) {
                problems.add("'" + SERVER_NAME + "' is not a valid host name");
            }
        }

        if (!problems.isEmpty()) {
            throw new InvalidTargetConfigException(HaproxyTarget.TYPE, problems);
        }
        return new HaproxyConfig(certificate, socket, host, port, serverName.toLowerCase(Locale.ROOT));
    }

    private static String value(Map<String, String> c, String key) {
        String v = c.get(key);
        return v == null || v.isBlank() ? null : v.strip();
    }

    private static Path path(Map<String, String> c, String key, String hint, Collection<Path> allowed,
                             List<String> problems) {
        String v = value(c, key);
        if (v == null) {
            problems.add("'" + key + "' is required (" + hint + ")");
            return null;
        }
        Path p;
        try {
            p = Path.of(v).normalize();
        } catch (RuntimeException e) {
            problems.add("'" + key + "' is not a valid path");
            return null;
        }
        if (!p.isAbsolute()) {
            problems.add("'" + key + "' must be an absolute path");
            return null;
        }
        if (p.getParent() == null || !Files.isDirectory(p.getParent())) {
            problems.add("'" + key + "': directory " + p.getParent() + " does not exist");
        } else if (Files.isDirectory(p)) {
            problems.add("'" + key + "' is a directory, not a file");
        } else if (!allowed.isEmpty() && !inAllowedDirectory(p, allowed)) {
            problems.add("'" + key + "' must be in one of the allowed directories " + allowed);
        }
        return p;
    }

    /** Compares real paths, so neither {@code ..} nor a symbolic link leads out of an allowed directory. */
    private static boolean inAllowedDirectory(Path file, Collection<Path> allowed) {
        try {
            Path parent = file.getParent().toRealPath();
            if (Files.isSymbolicLink(file)) {
                return false;
            }
            for (Path directory : allowed) {
                if (Files.isDirectory(directory) && parent.startsWith(directory.toRealPath())) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }
}
