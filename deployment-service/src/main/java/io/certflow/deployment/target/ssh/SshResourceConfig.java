package io.certflow.deployment.target.ssh;

import io.certflow.deployment.target.InvalidTargetConfigException;
import io.certflow.deployment.target.TargetSettings;

import java.util.Map;
import java.util.Set;

/**
 * The settings of one resource on a host reached over SSH: where the files go on that host, how its server
 * takes them up, and where certflow reads back what it serves. Checked as a whole when the resource is
 * registered; the paths can only be checked for their form, since the host is not asked.
 *
 * @param certificatePath absolute path on the host of the chain file (leaf first)
 * @param keyPath         absolute path on the host of the private key file (written with mode 0600)
 * @param reloadCommand   run by the login user's shell on the host after the files are in place, e.g.
 *                        {@code sudo systemctl reload nginx}; exit 0 means it worked
 * @param tlsHost         where the server serves TLS, as certflow reaches it
 * @param tlsPort         where the server serves TLS
 * @param serverName      the name clients ask for (SNI), also what the certificate must cover
 */
public record SshResourceConfig(String certificatePath, String keyPath, String reloadCommand, String tlsHost,
                                int tlsPort, String serverName) {

    public static final String CERTIFICATE_PATH = "certificatePath";
    public static final String KEY_PATH = "keyPath";
    public static final String RELOAD_COMMAND = "reloadCommand";
    public static final String TLS_ADDRESS = "tlsAddress";
    public static final String SERVER_NAME = "serverName";

    /** Every setting an SSH resource may have. */
    public static final Set<String> SETTINGS = Set.of(CERTIFICATE_PATH, KEY_PATH, RELOAD_COMMAND, TLS_ADDRESS, SERVER_NAME);

    private static final int MAX_COMMAND = 4096;

    /**
     * Reads and checks the settings.
     *
     * @throws InvalidTargetConfigException naming every problem
     */
    public static SshResourceConfig parse(Map<String, String> config) {
        TargetSettings settings = new TargetSettings(config, SETTINGS);
        String certificate = remoteFile(settings, CERTIFICATE_PATH);
        String key = remoteFile(settings, KEY_PATH);
        if (certificate != null && certificate.equals(key)) {
            settings.problem("'" + KEY_PATH + "' must differ from '" + CERTIFICATE_PATH + "'");
        }
        String reload = settings.value(RELOAD_COMMAND);
        if (reload == null) {
            settings.problem("'" + RELOAD_COMMAND + "' is required (run on the host after the upload, e.g. "
                    + "sudo systemctl reload nginx)");
        } else if (reload.contains("\n") || reload.contains("\r") || reload.indexOf('\0') >= 0) {
            settings.problem("'" + RELOAD_COMMAND + "' must be one line");
        } else if (reload.length() > MAX_COMMAND) {
            settings.problem("'" + RELOAD_COMMAND + "' is longer than " + MAX_COMMAND + " characters");
        }
        TargetSettings.TlsAddress address = settings.tlsAddress(TLS_ADDRESS, "the host");
        String serverName = settings.serverName(SERVER_NAME, "the host");
        settings.check(SshTarget.TYPE);
        return new SshResourceConfig(certificate, key, reload, address.host(), address.port(), serverName);
    }

    /** An absolute POSIX path to a file on the host; only its form can be checked here. */
    private static String remoteFile(TargetSettings settings, String key) {
        String path = settings.value(key);
        if (path == null) {
            settings.problem("'" + key + "' is required (an absolute file path on the host)");
            return null;
        }
        if (!path.startsWith("/")) {
            settings.problem("'" + key + "' must be an absolute path on the host");
            return null;
        }
        if (path.endsWith("/") || path.chars().anyMatch(c -> c < 0x20)) {
            settings.problem("'" + key + "' must name a file");
            return null;
        }
        if (path.contains("*") || path.contains("?") || path.contains("\\")) {
            // SFTP clients read * and ? as patterns: a path must name one file
            settings.problem("'" + key + "' must not contain *, ? or \\");
            return null;
        }
        for (String part : path.substring(1).split("/")) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                settings.problem("'" + key + "' must be a plain absolute path (no //, . or ..)");
                return null;
            }
        }
        return path;
    }

    /** The directory of a remote file. */
    static String directoryOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash == 0 ? "/" : path.substring(0, slash);
    }

    /** The name of a remote file. */
    static String fileNameOf(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
