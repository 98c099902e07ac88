package io.certflow.deployment.target.nginx;

import io.certflow.deployment.target.CredentialField;
import io.certflow.deployment.target.DiscoveredResource;
import io.certflow.deployment.target.InvalidTargetConfigException;
import io.certflow.deployment.target.TargetAccess;
import io.certflow.deployment.target.TargetSettings;
import io.certflow.deployment.target.process.CommandLine;
import io.certflow.deployment.tls.ServerNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Turns the server blocks of a local nginx ({@link NginxConfigDump}) into resources: one per block that serves
 * TLS, with the settings a person would register by hand, checked as they would be. Exists to keep what nginx
 * says apart from what certflow can deploy to: a block certflow cannot deploy to (no name a certificate can hold,
 * several certificates, a variable in a path, files outside the allowed directories) is left out and logged
 * with the reason, so a listing never holds a resource that fails at its first deployment.
 *
 * <p>How a local nginx is reached comes from a {@link TargetAccess} with plain settings and no secret:
 * {@value #CONFIG_PATH} (its main configuration file, absolute; required), {@value #BINARY} (the nginx executable,
 * one of the allowed executables; default {@code nginx}) and {@value #PREFIX} (its {@code -p} prefix, absolute;
 * optional).
 */
final class NginxDiscovery {

    /** The nginx executable. */
    static final String BINARY = "binary";
    /** The main configuration file ({@code -c}). */
    static final String CONFIG_PATH = "configPath";
    /** nginx's prefix ({@code -p}), optional. */
    static final String PREFIX = "prefix";
    /** What an nginx connection holds (plain settings, no secret): {@link Access#parse} knows these names only. */
    static final List<CredentialField> FIELDS = List.of(
            CredentialField.setting(CONFIG_PATH, "Main configuration file, absolute, e.g. /etc/nginx/nginx.conf"),
            CredentialField.optionalSetting(BINARY, "nginx executable (nginx by default)"),
            CredentialField.optionalSetting(PREFIX, "Prefix (-p), absolute, where the configuration uses relative paths"));
    /** Every setting of an nginx credential. */
    static final Set<String> SETTINGS = CredentialField.settingNames(FIELDS);

    private static final Logger log = LoggerFactory.getLogger(NginxDiscovery.class);

    private NginxDiscovery() {
    }

    /**
     * How to run the local nginx.
     *
     * @param binary     the executable
     * @param configPath the main configuration file
     * @param prefix     the {@code -p} prefix, or null
     */
    record Access(String binary, Path configPath, Path prefix) {

        /**
         * Reads and checks the settings of a credential.
         *
         * @throws InvalidTargetConfigException naming every problem
         */
        static Access parse(TargetAccess access, Collection<String> allowedExecutables) {
            if (access == null) {
                throw new InvalidTargetConfigException(NginxTarget.TYPE, List.of("listing nginx's server blocks needs the "
                        + "settings '" + CONFIG_PATH + "' (and '" + BINARY + "', '" + PREFIX + "' where they differ)"));
            }
            TargetSettings settings = new TargetSettings(access.settings(), SETTINGS);
            if (!access.secrets().isEmpty()) {
                settings.problem("a local nginx takes no secrets (got " + new java.util.TreeSet<>(access.secrets().keySet()) + ")");
            }
            Path config = settings.file(CONFIG_PATH, "nginx's main configuration file, e.g. /etc/nginx/nginx.conf", List.of());
            String binary = Optional.ofNullable(settings.value(BINARY)).orElse("nginx");
            if (!allowedExecutables.isEmpty() && !allowedExecutables.contains(binary)) {
                settings.problem("'" + BINARY + "' must be one of the allowed executables " + allowedExecutables);
            }
            Path prefix = null;
            if (settings.value(PREFIX) != null) {
                prefix = Path.of(settings.value(PREFIX)).normalize();
                if (!prefix.isAbsolute()) {
                    settings.problem("'" + PREFIX + "' must be an absolute path");
                }
            }
            settings.check(NginxTarget.TYPE);
            return new Access(binary, config, prefix);
        }

        /** {@code nginx -T}: tests the configuration and prints every file of it. */
        List<String> dumpCommand() {
            return command("-T");
        }

        /** The reload command of a discovered resource. */
        String reloadCommand() {
            return CommandLine.join(command("-s", "reload"));
        }

        /** The configuration test of a discovered resource. */
        String testCommand() {
            return CommandLine.join(command("-t", "-q"));
        }

        /** Start-up messages go to stderr, where the runner reads them, not to a log file certflow may not write. */
        private List<String> command(String... action) {
            List<String> argv = new ArrayList<>(List.of(binary));
            if (prefix != null) {
                argv.addAll(List.of("-p", prefix + "/"));
            }
            argv.addAll(List.of("-c", configPath.toString(), "-e", "stderr"));
            argv.addAll(List.of(action));
            return argv;
        }
    }

    /**
     * One resource per server block that serves TLS and that certflow can deploy to.
     *
     * @param check checks the settings of a resource as registering it would
     *              ({@link InvalidTargetConfigException} leaves the block out)
     */
    static List<DiscoveredResource> resources(List<NginxConfigDump.ServerBlock> blocks, Access access,
                                              Consumer<Map<String, String>> check) {
        List<DiscoveredResource> resources = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (NginxConfigDump.ServerBlock block : blocks) {
            Optional<NginxConfigDump.Listen> tls = block.tlsListen();
            if (tls.isEmpty()) {
                continue;
            }
            String where = block.file() + ":" + block.line();
            List<String> domains = domains(block.serverNames());
            Optional<String> problem = problem(block, domains);
            if (problem.isPresent()) {
                log.info("nginx server block at {} left out: {}", where, problem.get());
                continue;
            }
            String id = domains.get(0) + ":" + tls.get().port();
            Map<String, String> config = new LinkedHashMap<>();
            config.put(NginxConfig.CERTIFICATE_PATH, block.certificates().get(0));
            config.put(NginxConfig.KEY_PATH, block.certificateKeys().get(0));
            config.put(NginxConfig.RELOAD_COMMAND, access.reloadCommand());
            config.put(NginxConfig.TEST_COMMAND, access.testCommand());
            config.put(NginxConfig.TLS_ADDRESS, tls.get().connectAddress());
            config.put(NginxConfig.SERVER_NAME, ServerNames.forReadBack(domains).orElseThrow());
            try {
                check.accept(config);
            } catch (InvalidTargetConfigException e) {
                log.info("nginx server block {} at {} left out: {}", id, where, e.getMessage());
                continue;
            }
            if (!ids.add(id)) {
                log.info("nginx server block at {} left out: an earlier block is also {}", where, id);
                continue;
            }
            resources.add(new DiscoveredResource(id, id + " (" + where + ")", domains, config));
        }
        return List.copyOf(resources);
    }

    /** Why certflow cannot deploy to a TLS block, if it cannot. */
    private static Optional<String> problem(NginxConfigDump.ServerBlock block, List<String> domains) {
        if (domains.isEmpty()) {
            return Optional.of("no server_name a certificate can hold (" + block.serverNames() + ")");
        }
        if (block.certificates().size() != 1 || block.certificateKeys().size() != 1) {
            return Optional.of(block.certificates().isEmpty() ? "no ssl_certificate"
                    : "it serves " + block.certificates().size() + " certificates (e.g. RSA and ECDSA); register it by hand");
        }
        String certificate = block.certificates().get(0);
        String key = block.certificateKeys().get(0);
        if (certificate.contains("$") || key.contains("$") || certificate.startsWith("data:") || key.startsWith("data:")) {
            return Optional.of("its certificate is chosen by a variable or given inline, not a file certflow can write");
        }
        return Optional.empty();
    }

    /**
     * The names of {@code server_name} a certificate can hold, in lower case and order: host names and
     * {@code *.} wildcards; {@code .example.com} stands for both {@code example.com} and {@code *.example.com};
     * regular expressions, {@code _}, {@code ""}, names without a dot and trailing wildcards are left out.
     */
    static List<String> domains(List<String> serverNames) {
        Set<String> domains = new LinkedHashSet<>();
        for (String raw : serverNames) {
            String name = raw.toLowerCase(Locale.ROOT);
            if (name.startsWith("~") || name.contains("$")) {
                continue;
            }
            if (name.startsWith(".")) {
                addIfValid(domains, name.substring(1));
                addIfValid(domains, "*" + name);
            } else {
                addIfValid(domains, name);
            }
        }
        return List.copyOf(domains);
    }

    private static void addIfValid(Set<String> domains, String name) {
        String host = name.startsWith("*.") ? ServerNames.WILDCARD_LABEL + name.substring(1) : name;
        if (ServerNames.isHostName(host)) {
            domains.add(name);
        }
    }
}
