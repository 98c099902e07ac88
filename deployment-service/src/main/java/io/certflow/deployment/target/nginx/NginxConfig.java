package io.certflow.deployment.target.nginx;

import io.certflow.deployment.target.InvalidTargetConfigException;
import io.certflow.deployment.target.process.CommandLine;

import javax.net.ssl.SNIHostName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The settings of one nginx resource, read and checked from the resource's config map. Exists so that
 * {@link NginxTarget} works with typed values and a bad setting is reported, all at once, when the
 * resource is registered.
 *
 * @param certificatePath where nginx's {@code ssl_certificate} points (absolute)
 * @param keyPath         where nginx's {@code ssl_certificate_key} points (absolute)
 * @param reloadCommand   e.g. {@code nginx -p <prefix> -c <conf> -s reload}, run without a shell
 * @param testCommand     e.g. {@code nginx -t -p <prefix> -c <conf>}, or empty to skip the config test
 * @param tlsHost         where nginx listens, for the read-back
 * @param tlsPort         where nginx listens, for the read-back
 * @param serverName      the name clients ask for (SNI), also what the certificate must cover
 */
public record NginxConfig(Path certificatePath, Path keyPath, List<String> reloadCommand, List<String> testCommand,
                          String tlsHost, int tlsPort, String serverName) {

    public static final String CERTIFICATE_PATH = "certificatePath";
    public static final String KEY_PATH = "keyPath";
    public static final String RELOAD_COMMAND = "reloadCommand";
    public static final String TEST_COMMAND = "testCommand";
    public static final String TLS_ADDRESS = "tlsAddress";
    public static final String SERVER_NAME = "serverName";

    /** Every setting an nginx resource may have. */
    public static final Set<String> SETTINGS =
            Set.of(CERTIFICATE_PATH, KEY_PATH, RELOAD_COMMAND, TEST_COMMAND, TLS_ADDRESS, SERVER_NAME);

    /**
     * Reads and checks the settings.
     *
     * @param allowedExecutables  the executables commands may start (first word); empty allows any
     * @param allowedDirectories the directories certificate and key files may be written in (or below);
     *                           empty allows any
     * @throws InvalidTargetConfigException naming every problem
     */
    public static NginxConfig parse(Map<String, String> config, Collection<String> allowedExecutables,
                                    Collection<Path> allowedDirectories) {
        List<String> problems = new ArrayList<>();
        Map<String, String> c = config == null ? Map.of() : config;
        c.keySet().stream().filter(k -> !SETTINGS.contains(k)).sorted()
                .forEach(k -> problems.add("unknown setting '" + k + "' (known: " + String.join(", ",
                        SETTINGS.stream().sorted().toList()) + ")"));

        Path certificate = path(c, CERTIFICATE_PATH, allowedDirectories, problems);
        Path key = path(c, KEY_PATH, allowedDirectories, problems);
        if (certificate != null && certificate.equals(key)) {
            problems.add("'" + KEY_PATH + "' must differ from '" + CERTIFICATE_PATH + "'");
        }
        List<String> reload = command(c, RELOAD_COMMAND, true, allowedExecutables, problems);
        List<String> test = command(c, TEST_COMMAND, false, allowedExecutables, problems);

        String host = null;
        int port = 0;
        String address = value(c, TLS_ADDRESS);
        if (address == null) {
            problems.add("'" + TLS_ADDRESS + "' is required (host:port where nginx serves TLS, e.g. 127.0.0.1:443)");
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
            problems.add("'" + SERVER_NAME + "' is required (the host name clients ask nginx for)");
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
            throw new InvalidTargetConfigException(NginxTarget.TYPE, problems);
        }
        return new NginxConfig(certificate, key, reload, test, host, port, serverName.toLowerCase(java.util.Locale.ROOT));
    }

    private static String value(Map<String, String> c, String key) {
        String v = c.get(key);
        return v == null || v.isBlank() ? null : v.strip();
    }

    private static Path path(Map<String, String> c, String key, Collection<Path> allowed, List<String> problems) {
        String v = value(c, key);
        if (v == null) {
            problems.add("'" + key + "' is required (an absolute file path)");
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
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static List<String> command(Map<String, String> c, String key, boolean required,
                                        Collection<String> allowed, List<String> problems) {
        String v = value(c, key);
        if (v == null) {
            if (required) {
                problems.add("'" + key + "' is required (e.g. nginx -s reload -c /etc/nginx/nginx.conf)");
            }
            return List.of();
        }
        List<String> argv;
        try {
            argv = CommandLine.split(v);
        } catch (IllegalArgumentException e) {
            problems.add("'" + key + "': " + e.getMessage());
            return List.of();
        }
        if (!allowed.isEmpty() && !allowed.contains(argv.get(0))) {
            problems.add("'" + key + "' must start with one of the allowed executables " + allowed);
        }
        return argv;
    }
}
