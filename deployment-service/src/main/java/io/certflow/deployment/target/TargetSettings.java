package io.certflow.deployment.target;

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
 * Reads the settings every deployment target shares (files in allowed directories, a TLS address, a server
 * name) from a resource's config map and collects every problem, so a target reports them all at once. A
 * target reads its own settings with {@link #value} and {@link #problem}, then calls {@link #check}.
 */
public final class TargetSettings {

    /**
     * Where a resource serves TLS.
     *
     * @param host the host, without IPv6 brackets
     * @param port 1-65535
     */
    public record TlsAddress(String host, int port) {
    }

    private final Map<String, String> config;
    private final List<String> problems = new ArrayList<>();

    /**
     * Starts reading {@code config} (null reads as empty) and notes every setting not in {@code known}.
     */
    public TargetSettings(Map<String, String> config, Set<String> known) {
        this.config = config == null ? Map.of() : config;
        this.config.keySet().stream().filter(k -> !known.contains(k)).sorted()
                .forEach(k -> problems.add("unknown setting '" + k + "' (known: " + String.join(", ",
                        known.stream().sorted().toList()) + ")"));
    }

    /** The stripped value of a setting, or null if it is missing or blank. */
    public String value(String key) {
        String v = config.get(key);
        return v == null || v.isBlank() ? null : v.strip();
    }

    /** Notes a problem. */
    public void problem(String problem) {
        problems.add(problem);
    }

    /**
     * A required absolute file path whose directory exists and, unless {@code allowed} is empty, lies in (or
     * below) one of the allowed directories by real path.
     *
     * @param hint what the setting is, for the "is required" problem
     * @return the normalized path, or null if it is missing, not a path or not absolute
     */
    public Path file(String key, String hint, Collection<Path> allowed) {
        String v = value(key);
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

    /**
     * A required {@code host:port} ({@code [v6]:port} too).
     *
     * @param server the server's name for the "is required" problem, e.g. {@code nginx}
     * @return the address, or null if it is missing or invalid
     */
    public TlsAddress tlsAddress(String key, String server) {
        String address = value(key);
        if (address == null) {
            problems.add("'" + key + "' is required (host:port where " + server + " serves TLS, e.g. 127.0.0.1:443)");
            return null;
        }
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            problems.add("'" + key + "' must be host:port, e.g. 127.0.0.1:443");
            return null;
        }
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int port = Integer.parseInt(address.substring(colon + 1));
            if (port < 1 || port > 65535) {
                problems.add("'" + key + "' port must be 1-65535");
                return null;
            }
            return new TlsAddress(host, port);
        } catch (NumberFormatException e) {
            problems.add("'" + key + "' port is not a number");
            return null;
        }
    }

    /**
     * A required host name with at least one dot, as clients send it in SNI.
     *
     * @param server the server's name for the "is required" problem, e.g. {@code nginx}
     * @return the name in lower case, or null if it is missing or invalid
     */
    public String serverName(String key, String server) {
        String serverName = value(key);
        if (serverName == null) {
            problems.add("'" + key + "' is required (the host name clients ask " + server + " for)");
            return null;
        }
        try {
            new SNIHostName(serverName);
            if (!serverName.contains(".") || serverName.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("not a host name");
            }
        } catch (IllegalArgumentException e) {
            problems.add("'" + key + "' is not a valid host name");
            return null;
        }
        return serverName.toLowerCase(Locale.ROOT);
    }

    /**
     * Ends the reading.
     *
     * @param type the target type, for the message
     * @throws InvalidTargetConfigException naming every problem noted, if any
     */
    public void check(String type) {
        if (!problems.isEmpty()) {
            throw new InvalidTargetConfigException(type, problems);
        }
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
