package io.certflow.deployment.target.haproxy;

import io.certflow.deployment.target.InvalidTargetConfigException;
import io.certflow.deployment.target.TargetSettings;

import java.nio.file.Path;
import java.util.Collection;
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
        TargetSettings settings = new TargetSettings(config, SETTINGS);
        Path certificate = settings.file(CERTIFICATE_PATH, "an absolute file path, e.g. /etc/haproxy/certs/site.pem",
                allowedDirectories);
        Path socket = settings.file(ADMIN_SOCKET,
                "the absolute path of HAProxy's admin socket, e.g. /run/haproxy/admin.sock", allowedDirectories);
        if (certificate != null && certificate.equals(socket)) {
            settings.problem("'" + ADMIN_SOCKET + "' must differ from '" + CERTIFICATE_PATH + "'");
        }
        TargetSettings.TlsAddress address = settings.tlsAddress(TLS_ADDRESS, "HAProxy");
        String serverName = settings.serverName(SERVER_NAME, "HAProxy");
        settings.check(HaproxyTarget.TYPE);
        return new HaproxyConfig(certificate, socket, address.host(), address.port(), serverName);
    }
}
