package io.certflow.deployment.target.nginx;

import io.certflow.deployment.target.InvalidTargetConfigException;
import io.certflow.deployment.target.TargetSettings;
import io.certflow.deployment.target.process.CommandLine;

import java.nio.file.Path;
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
        TargetSettings settings = new TargetSettings(config, SETTINGS);
        Path certificate = settings.file(CERTIFICATE_PATH, "an absolute file path", allowedDirectories);
        Path key = settings.file(KEY_PATH, "an absolute file path", allowedDirectories);
        if (certificate != null && certificate.equals(key)) {
            settings.problem("'" + KEY_PATH + "' must differ from '" + CERTIFICATE_PATH + "'");
        }
        List<String> reload = command(settings, RELOAD_COMMAND, true, allowedExecutables);
        List<String> test = command(settings, TEST_COMMAND, false, allowedExecutables);
        TargetSettings.TlsAddress address = settings.tlsAddress(TLS_ADDRESS, "nginx");
        String serverName = settings.serverName(SERVER_NAME, "nginx");
        settings.check(NginxTarget.TYPE);
        return new NginxConfig(certificate, key, reload, test, address.host(), address.port(), serverName);
    }

    private static List<String> command(TargetSettings settings, String key, boolean required,
                                        Collection<String> allowed) {
        String v = settings.value(key);
        if (v == null) {
            if (required) {
                settings.problem("'" + key + "' is required (e.g. nginx -s reload -c /etc/nginx/nginx.conf)");
            }
            return List.of();
        }
        List<String> argv;
        try {
            argv = CommandLine.split(v);
        } catch (IllegalArgumentException e) {
            settings.problem("'" + key + "': " + e.getMessage());
            return List.of();
        }
        if (!allowed.isEmpty() && !allowed.contains(argv.get(0))) {
            settings.problem("'" + key + "' must start with one of the allowed executables " + allowed);
        }
        return argv;
    }
}
