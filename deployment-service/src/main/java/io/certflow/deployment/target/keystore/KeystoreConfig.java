package io.certflow.deployment.target.keystore;

import io.certflow.deployment.target.InvalidTargetConfigException;
import io.certflow.deployment.target.TargetSettings;
import io.certflow.deployment.target.process.CommandLine;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The settings of one keystore resource, read and checked from the resource's config map. Exists so that
 * {@link KeystoreTarget} works with typed values and a bad setting is reported, all at once, when the resource
 * is registered. The passwords are not here: they are secrets of the resource's credential
 * ({@link KeystorePasswords}).
 *
 * @param path          the keystore file the Java server loads (absolute)
 * @param format        its format
 * @param alias         the entry certflow owns in it; other entries are kept
 * @param reloadCommand what makes the server load the file again (run without a shell), or empty for none
 * @param tlsAddress    where the server serves TLS, for a read-back by handshake; null to read back the file
 * @param serverName    the name clients ask for (SNI), also what the certificate must cover; null if not given
 */
public record KeystoreConfig(Path path, KeystoreFormat format, String alias, List<String> reloadCommand,
                             TargetSettings.TlsAddress tlsAddress, String serverName) {

    public static final String PATH = "path";
    public static final String FORMAT = "format";
    public static final String ALIAS = "alias";
    public static final String RELOAD_COMMAND = "reloadCommand";
    public static final String TLS_ADDRESS = "tlsAddress";
    public static final String SERVER_NAME = "serverName";

    /** The alias used when none is given. */
    public static final String DEFAULT_ALIAS = "certflow";

    /** Every setting a keystore resource may have. */
    public static final Set<String> SETTINGS = Set.of(PATH, FORMAT, ALIAS, RELOAD_COMMAND, TLS_ADDRESS, SERVER_NAME);

    private static final Pattern ALIAS_PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /**
     * Reads and checks the settings.
     *
     * @param allowedExecutables the executables a reload command may start (first word); empty allows any
     * @param allowedDirectories the directories the keystore may be written in (or below); empty allows any
     * @throws InvalidTargetConfigException naming every problem
     */
    public static KeystoreConfig parse(Map<String, String> config, Collection<String> allowedExecutables,
                                       Collection<Path> allowedDirectories) {
        TargetSettings settings = new TargetSettings(config, SETTINGS);
        Path path = settings.file(PATH, "the absolute path of the keystore file, e.g. /etc/tomcat/certflow.p12",
                allowedDirectories);
        KeystoreFormat format = KeystoreFormat.PKCS12;
        String formatName = settings.value(FORMAT);
        if (formatName != null) {
            format = KeystoreFormat.named(formatName).orElse(null);
            if (format == null) {
                settings.problem("'" + FORMAT + "' must be PKCS12 or JKS");
            }
        }
        String alias = settings.value(ALIAS) == null ? DEFAULT_ALIAS : settings.value(ALIAS);
        if (!ALIAS_PATTERN.matcher(alias).matches()) {
            settings.problem("'" + ALIAS + "' must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        List<String> reload = reloadCommand(settings, allowedExecutables);
        TargetSettings.TlsAddress address = null;
        String serverName = null;
        if (settings.value(TLS_ADDRESS) != null) {
            address = settings.tlsAddress(TLS_ADDRESS, "the Java server");
            serverName = settings.serverName(SERVER_NAME, "the Java server");
        } else if (settings.value(SERVER_NAME) != null) {
            serverName = settings.serverName(SERVER_NAME, "the Java server");
        }
        settings.check(KeystoreTarget.TYPE);
        return new KeystoreConfig(path, format, alias, reload, address, serverName);
    }

    private static List<String> reloadCommand(TargetSettings settings, Collection<String> allowed) {
        String v = settings.value(RELOAD_COMMAND);
        if (v == null) {
            return List.of();
        }
        List<String> argv;
        try {
            argv = CommandLine.split(v);
        } catch (IllegalArgumentException e) {
            settings.problem("'" + RELOAD_COMMAND + "': " + e.getMessage());
            return List.of();
        }
        if (!allowed.isEmpty() && !allowed.contains(argv.get(0))) {
            settings.problem("'" + RELOAD_COMMAND + "' must start with one of the allowed executables " + allowed);
        }
        return argv;
    }
}
