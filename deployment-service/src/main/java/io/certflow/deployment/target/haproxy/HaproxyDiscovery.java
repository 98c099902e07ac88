package io.certflow.deployment.target.haproxy;

import io.certflow.deployment.target.CredentialField;
import io.certflow.deployment.target.DiscoveredResource;
import io.certflow.deployment.target.InvalidTargetConfigException;
import io.certflow.deployment.target.TargetAccess;
import io.certflow.deployment.target.TargetSettings;
import io.certflow.deployment.tls.ServerNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Turns the certificates HAProxy has loaded ({@code show ssl cert} on its admin socket) into resources: one per
 * certificate file a {@code bind} serves, known by its file, covering the names of its SANs. Exists because the
 * runtime API knows every certificate file but not which address serves it: where HAProxy serves TLS comes from
 * the credential.
 *
 * <p>How an HAProxy is reached comes from a {@link TargetAccess} with plain settings and no secret:
 * {@value #ADMIN_SOCKET} (its admin socket, {@code level admin}; required) and {@value #TLS_ADDRESS} (the
 * {@code host:port} where it serves TLS, for the read-back; required).
 */
final class HaproxyDiscovery {

    /** The admin socket. */
    static final String ADMIN_SOCKET = HaproxyConfig.ADMIN_SOCKET;
    /** Where HAProxy serves TLS. */
    static final String TLS_ADDRESS = HaproxyConfig.TLS_ADDRESS;
    /** What an HAProxy connection holds (plain settings, no secret): {@link Access#parse} knows these names only. */
    static final List<CredentialField> FIELDS = List.of(
            CredentialField.setting(ADMIN_SOCKET, "Admin socket (level admin), e.g. /run/haproxy/admin.sock"),
            CredentialField.setting(TLS_ADDRESS, "Where HAProxy serves TLS, host:port, e.g. 127.0.0.1:443"));
    /** Every setting of an HAProxy credential. */
    static final Set<String> SETTINGS = CredentialField.settingNames(FIELDS);

    private static final Logger log = LoggerFactory.getLogger(HaproxyDiscovery.class);

    private HaproxyDiscovery() {
    }

    /**
     * How to reach one HAProxy.
     *
     * @param adminSocket the admin socket
     * @param tlsAddress  {@code host:port} where it serves TLS, as given
     */
    record Access(Path adminSocket, String tlsAddress) {

        /**
         * Reads and checks the settings of a credential.
         *
         * @param allowedDirectories where the admin socket may be; empty allows any
         * @throws InvalidTargetConfigException naming every problem
         */
        static Access parse(TargetAccess access, Collection<Path> allowedDirectories) {
            if (access == null) {
                throw new InvalidTargetConfigException(HaproxyTarget.TYPE, List.of("listing HAProxy's certificates "
                        + "needs the settings '" + ADMIN_SOCKET + "' and '" + TLS_ADDRESS + "'"));
            }
            TargetSettings settings = new TargetSettings(access.settings(), SETTINGS);
            if (!access.secrets().isEmpty()) {
                settings.problem("a local HAProxy takes no secrets (got " + new TreeSet<>(access.secrets().keySet()) + ")");
            }
            Path socket = settings.file(ADMIN_SOCKET,
                    "the absolute path of HAProxy's admin socket, e.g. /run/haproxy/admin.sock", allowedDirectories);
            settings.tlsAddress(TLS_ADDRESS, "HAProxy");
            settings.check(HaproxyTarget.TYPE);
            return new Access(socket, settings.value(TLS_ADDRESS));
        }
    }

    /**
     * The resource of one stored certificate, if there is one; a certificate no {@code bind} serves, that holds no
     * name a client can ask for, or whose settings do not pass {@code check} (a file outside the allowed
     * directories) is left out and logged with the reason.
     */
    static Optional<DiscoveredResource> resource(SslCertCommands.StoredCertificate certificate, Access access,
                                                 Consumer<Map<String, String>> check) {
        if (!certificate.used()) {
            log.debug("HAProxy certificate {} left out: no bind serves it ({})", certificate.file(), certificate.status());
            return Optional.empty();
        }
        List<String> domains = domains(certificate);
        Optional<String> serverName = ServerNames.forReadBack(domains);
        if (serverName.isEmpty()) {
            log.info("HAProxy certificate {} left out: it names no host a client can ask for", certificate.file());
            return Optional.empty();
        }
        Map<String, String> config = new LinkedHashMap<>();
        config.put(HaproxyConfig.CERTIFICATE_PATH, certificate.file());
        config.put(HaproxyConfig.ADMIN_SOCKET, access.adminSocket().toString());
        config.put(HaproxyConfig.TLS_ADDRESS, access.tlsAddress());
        config.put(HaproxyConfig.SERVER_NAME, serverName.get());
        try {
            check.accept(config);
        } catch (InvalidTargetConfigException e) {
            log.info("HAProxy certificate {} left out: {}", certificate.file(), e.getMessage());
            return Optional.empty();
        }
        String name = Path.of(certificate.file()).getFileName() + " (" + String.join(", ", domains) + ")";
        return Optional.of(new DiscoveredResource(certificate.file(), name, domains, config));
    }

    /** Its DNS SANs in lower case, or its CN if it has none; only names a certificate can hold. */
    static List<String> domains(SslCertCommands.StoredCertificate certificate) {
        List<String> names = certificate.dnsNames().isEmpty() && certificate.commonName() != null
                ? List.of(certificate.commonName()) : certificate.dnsNames();
        Set<String> domains = new LinkedHashSet<>();
        for (String name : names) {
            String lower = name.toLowerCase(Locale.ROOT);
            String host = lower.startsWith("*.") ? ServerNames.WILDCARD_LABEL + lower.substring(1) : lower;
            if (ServerNames.isHostName(host)) {
                domains.add(lower);
            }
        }
        return List.copyOf(domains);
    }
}
