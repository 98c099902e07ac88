package io.certflow.deployment.target.ssh;

import io.certflow.deployment.target.CertificateBundle;
import io.certflow.deployment.target.DeploymentOutcome;
import io.certflow.deployment.target.ConfiguredTarget;
import io.certflow.deployment.target.CredentialField;
import io.certflow.deployment.target.DiscoveredResource;
import io.certflow.deployment.target.InvalidTargetConfigException;
import io.certflow.deployment.target.PreviousCertificate;
import io.certflow.deployment.target.ReadBack;
import io.certflow.deployment.target.Reach;
import io.certflow.deployment.target.ReadBackCheck;
import io.certflow.deployment.target.TargetAccess;
import io.certflow.deployment.target.TargetException;
import io.certflow.deployment.target.TargetResource;
import io.certflow.deployment.target.process.CommandResult;
import io.certflow.deployment.tls.ServedCertificateReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Deploys to any host reached over SSH: uploads the chain and key files over SFTP (each written to a temp name
 * in its directory, then renamed over the old one; the key with mode 0600), runs the resource's reload command,
 * and reads back over TLS with SNI what the host serves. If the reload command fails or the host keeps serving
 * another certificate, the previous files (read over SFTP before they were replaced) are put back and the
 * reload command runs again: the outcome is then {@code ROLLED_BACK}.
 *
 * <p>The host is reached with a stored credential ({@link SshCredential}): user, private key, and the server's
 * host key, which is pinned: a server that presents another key is refused before anything is read or written.
 * A host that cannot be reached or does not answer in time gives a retryable outcome; a refused key or a host
 * key that is not the pinned one does not.
 *
 * <p>Discovery runs {@code nginx -T} (see {@link Settings#discoveryCommand()}) on the host and lists its TLS
 * server blocks.
 */
public class SshTarget extends ConfiguredTarget<Reach<SshResourceConfig, SshCredential>> {

    /** The resource type name. */
    public static final String TYPE = "ssh";

    /** Mode of the uploaded private key file. */
    static final int KEY_MODE = 0600;
    /** Mode of the uploaded certificate file. */
    static final int CERTIFICATE_MODE = 0644;

    private static final Logger log = LoggerFactory.getLogger(SshTarget.class);
    private static final int MAX_DUMP = 4 * 1024 * 1024;

    /**
     * How many reads in a row must see a certificate before it counts as served: right after a reload, nginx's
     * workers of the old configuration still answer some connections for a moment.
     */
    private static final int CONFIRMATIONS = 3;

    private final ServedCertificateReader reader;
    private final Settings settings;

    /**
     * How this adapter behaves on every host.
     *
     * @param connectTimeout   how long connecting and logging in may take, and how long the server may stay silent
     * @param commandTimeout   how long the reload (or discovery) command may run
     * @param readBackWindow   how long to keep reading back after a reload
     * @param readBackInterval pause between two read-backs
     * @param discoveryCommand what lists the host's nginx configuration; must hold the word {@code -T}, which
     *                         becomes {@code -s reload} in the reload command of the resources it finds (so
     *                         {@code sudo nginx -T} gives {@code sudo nginx -s reload})
     */
    public record Settings(Duration connectTimeout, Duration commandTimeout, Duration readBackWindow,
                           Duration readBackInterval, String discoveryCommand) {
        public Settings {
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            Objects.requireNonNull(commandTimeout, "commandTimeout");
            Objects.requireNonNull(readBackWindow, "readBackWindow");
            Objects.requireNonNull(readBackInterval, "readBackInterval");
            if (discoveryCommand == null || !discoveryCommand.matches("(.*\\s)?-T(\\s.*)?")) {
                throw new IllegalArgumentException("the ssh discovery command must run nginx -T, e.g. 'sudo nginx -T'");
            }
        }

        /** 10 s to connect, 60 s per command, 10 s read-back window polled every 200 ms, {@code nginx -T}. */
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(10),
                    Duration.ofMillis(200), "nginx -T");
        }

        /** The reload command of discovered resources: the discovery command with {@code -s reload} for {@code -T}. */
        public String discoveredReloadCommand() {
            return discoveryCommand.replaceFirst("(^|\\s)-T(?=\\s|$)", "$1-s reload");
        }
    }

    public SshTarget(ServedCertificateReader reader, Settings settings) {
        super(TYPE);
        this.reader = reader;
        this.settings = settings;
    }

    @Override
    public String displayName() {
        return "SSH/SFTP";
    }

    @Override
    public boolean needsCredential() {
        return true;
    }

    @Override
    public void validateCredential(TargetAccess access) {
        SshCredential.check(access);
    }

    @Override
    public List<CredentialField> credentialFields() {
        return SshCredential.FIELDS;
    }

    @Override
    public void validate(Map<String, String> config) {
        SshResourceConfig.parse(config);
    }

    @Override
    protected Reach<SshResourceConfig, SshCredential> parse(TargetResource resource) {
        return Reach.of(TYPE, () -> SshResourceConfig.parse(resource.config()), () -> credential(resource.access()));
    }

    @Override
    protected ReadBack read(Reach<SshResourceConfig, SshCredential> reach) {
        return read(reach.settings());
    }

    @Override
    protected DeploymentOutcome install(Reach<SshResourceConfig, SshCredential> reach, CertificateBundle bundle,
                                        String wanted, String where) {
        String on = where + " on " + reach.credential().describe();
        SshSession ssh;
        try {
            ssh = SshSession.open(reach.credential(), settings.connectTimeout());
        } catch (TargetException e) {
            log.warn("nothing deployed to {}: {}", on, e.getMessage());
            return notDone("nothing deployed: ", e);
        }
        try (ssh) {
            return install(ssh, reach.settings(), bundle, wanted, on);
        }
    }

    @Override
    protected DeploymentOutcome restoreOn(Reach<SshResourceConfig, SshCredential> reach, PreviousCertificate previous) {
        SshResourceConfig config = reach.settings();
        try (SshSession ssh = SshSession.open(reach.credential(), settings.connectTimeout())) {
            String restored = restoreFiles(ssh, config, previous);
            CommandResult reload = ssh.run(config.reloadCommand(), settings.commandTimeout());
            if (!reload.succeeded()) {
                return DeploymentOutcome.failed(readSerial(config), restored + "; the reload command failed ("
                        + reload.describe() + ")", null);
            }
            Optional<String> wanted = previous.serialNumber();
            if (wanted.isEmpty()) {
                return DeploymentOutcome.succeeded(readSerial(config), restored + " and reloaded", null);
            }
            ReadBack served = awaitServing(config, wanted.get());
            if (ReadBackCheck.serves(served, wanted.get())) {
                return DeploymentOutcome.succeeded(wanted.get(), restored + "; the host serves " + wanted.get(), null);
            }
            return DeploymentOutcome.failed(served.serialNumber().orElse(null),
                    restored + " but the host " + served.describe() + " instead of " + wanted.get(), null);
        } catch (TargetException e) {
            return notDone("restore failed: ", e);
        }
    }

    @Override
    public boolean discovers() {
        return true;
    }

    /**
     * The TLS server blocks of the host's nginx, from {@link Settings#discoveryCommand()}: one resource per
     * server block and TLS port whose certificate and key are absolute file paths and that has a server name
     * clients can ask for.
     */
    @Override
    public List<DiscoveredResource> discover(TargetAccess access) {
        SshCredential credential;
        try {
            credential = SshCredential.from(access);
        } catch (InvalidTargetConfigException e) {
            throw new TargetException(e.getMessage(), false);
        }
        String dump;
        try (SshSession ssh = SshSession.open(credential, settings.connectTimeout())) {
            dump = ssh.output(settings.discoveryCommand(), settings.commandTimeout(), MAX_DUMP);
        }
        return discovered(credential, NginxDump.serverBlocks(dump));
    }

    private DeploymentOutcome install(SshSession ssh, SshResourceConfig config, CertificateBundle bundle,
                                      String wanted, String where) {
        PreviousCertificate previous;
        try {
            previous = new PreviousCertificate(ssh.read(config.certificatePath()).orElse(null),
                    ssh.read(config.keyPath()).orElse(null));
        } catch (TargetException e) {
            return notDone("nothing deployed: cannot read the current files: ", e);
        }
        try {
            try {
                ssh.replace(config.keyPath(), bundle.privateKeyPem(), KEY_MODE);
                ssh.replace(config.certificatePath(), bundle.certificateChainPem(), CERTIFICATE_MODE);
            } catch (TargetException e) {
                String restored = restoreFiles(ssh, config, previous);
                return new DeploymentOutcome(DeploymentOutcome.Status.FAILED, readSerial(config),
                        "cannot upload the files: " + e.getMessage() + "; " + restored + "; nothing was reloaded",
                        previous, e.retryable());
            }
            CommandResult reload = ssh.run(config.reloadCommand(), settings.commandTimeout());
            if (!reload.succeeded()) {
                log.warn("the reload command failed on {}: {}", where, reload.describe());
                return rollBack(ssh, config, previous, "the reload command failed (" + reload.describe() + ")");
            }
            ReadBack served = awaitServing(config, wanted);
            if (ReadBackCheck.serves(served, wanted)) {
                log.info("{} serves certificate {}", where, wanted);
                return DeploymentOutcome.succeeded(wanted, "the host serves " + wanted + " for " + config.serverName(),
                        previous);
            }
            log.warn("{} does not serve {} after the reload ({}); restoring the previous certificate",
                    where, wanted, served.describe());
            return rollBack(ssh, config, previous, "after the reload the host " + served.describe()
                    + " instead of " + wanted);
        } catch (TargetException e) {
            log.warn("deployment to {} broke off: {}", where, e.getMessage());
            return new DeploymentOutcome(DeploymentOutcome.Status.FAILED, readSerial(config),
                    "the deployment broke off after the upload began: " + e.getMessage()
                            + "; the host may have the new files; deploy again or restore", previous, e.retryable());
        }
    }

    /** Puts the previous files back, reloads, and says whether the previous certificate is served again. */
    private DeploymentOutcome rollBack(SshSession ssh, SshResourceConfig config, PreviousCertificate previous,
                                       String why) {
        String restored = restoreFiles(ssh, config, previous);
        CommandResult again = ssh.run(config.reloadCommand(), settings.commandTimeout());
        String reloaded = again.succeeded() ? "reloaded" : "the reload failed again (" + again.describe() + ")";
        Optional<String> old = previous.serialNumber();
        if (old.isEmpty()) {
            return DeploymentOutcome.failed(readSerial(config), why + "; " + restored + "; " + reloaded, previous);
        }
        ReadBack served = awaitServing(config, old.get());
        if (ReadBackCheck.serves(served, old.get())) {
            return DeploymentOutcome.rolledBack(old.get(), why + "; " + restored + " and " + reloaded
                    + "; the host serves " + old.get() + " again");
        }
        return DeploymentOutcome.failed(served.serialNumber().orElse(null), why + "; " + restored + ", " + reloaded
                + ", but the host " + served.describe(), previous);
    }

    /**
     * Puts the previous files back, or removes the new ones where there were none.
     *
     * @throws TargetException if the connection broke meanwhile
     */
    private static String restoreFiles(SshSession ssh, SshResourceConfig config, PreviousCertificate previous) {
        try {
            restoreFile(ssh, config.keyPath(), previous.privateKeyPem(), KEY_MODE);
            restoreFile(ssh, config.certificatePath(), previous.certificateChainPem(), CERTIFICATE_MODE);
        } catch (TargetException e) {
            if (e.retryable()) {
                throw e;
            }
            return "restoring the previous files FAILED: " + e.getMessage();
        }
        return previous.present()
                ? "previous certificate " + previous.serialNumber().orElse("(unreadable)") + " restored"
                : "there was no previous certificate: the new files were removed";
    }

    private static void restoreFile(SshSession ssh, String path, String content, int mode) {
        if (content == null) {
            ssh.remove(path);
        } else {
            ssh.replace(path, content, mode);
        }
    }

    /**
     * Reads back until {@code wanted} was served {@link #CONFIRMATIONS} times in a row, or the read-back window
     * closed without it (or the thread is interrupted).
     *
     * @return the last answer
     */
    private ReadBack awaitServing(SshResourceConfig config, String wanted) {
        long deadline = System.nanoTime() + settings.readBackWindow().toNanos();
        int streak = 0;
        while (true) {
            ReadBack served = read(config);
            streak = ReadBackCheck.serves(served, wanted) ? streak + 1 : 0;
            if (streak >= CONFIRMATIONS || (streak == 0 && System.nanoTime() >= deadline)) {
                return served;
            }
            try {
                Thread.sleep(settings.readBackInterval().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return served;
            }
        }
    }

    private ReadBack read(SshResourceConfig config) {
        return reader.read(config.tlsHost(), config.tlsPort(), config.serverName());
    }

    private String readSerial(SshResourceConfig config) {
        return read(config).serialNumber().orElse(null);
    }

    /** A failure before anything changed: retryable if the host was unreachable or silent. */
    private static DeploymentOutcome notDone(String prefix, TargetException e) {
        return e.retryable() ? DeploymentOutcome.unreachable(prefix + e.getMessage())
                : DeploymentOutcome.failed(null, prefix + e.getMessage(), null);
    }

    private static SshCredential credential(TargetAccess access) {
        if (access == null) {
            throw new InvalidTargetConfigException(TYPE, List.of("an ssh resource needs a credential "
                    + "(host, username, hostKey, privateKey)"));
        }
        return SshCredential.from(access);
    }

    private List<DiscoveredResource> discovered(SshCredential credential, List<NginxDump.ServerBlock> blocks) {
        List<DiscoveredResource> resources = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (NginxDump.ServerBlock block : blocks) {
            List<String> domains = domains(block.serverNames());
            Optional<String> serverName = domains.stream().filter(d -> !d.contains("*")).findFirst();
            if (serverName.isEmpty() || !usablePath(block.certificate()) || !usablePath(block.key())) {
                continue;
            }
            for (NginxDump.Listen listen : block.listens()) {
                String externalId = serverName.get() + ":" + listen.port();
                if (!seen.add(externalId)) {
                    continue;
                }
                String host = listen.host() == null || loopback(listen.host()) ? credential.host() : listen.host();
                Map<String, String> config = new LinkedHashMap<>();
                config.put(SshResourceConfig.CERTIFICATE_PATH, block.certificate());
                config.put(SshResourceConfig.KEY_PATH, block.key());
                config.put(SshResourceConfig.RELOAD_COMMAND, settings.discoveredReloadCommand());
                config.put(SshResourceConfig.TLS_ADDRESS, (host.contains(":") ? "[" + host + "]" : host) + ":"
                        + listen.port());
                config.put(SshResourceConfig.SERVER_NAME, serverName.get());
                try {
                    SshResourceConfig.parse(config);
                } catch (InvalidTargetConfigException e) {
                    log.debug("skipping nginx server {} on {}: {}", externalId, credential.address(), e.getMessage());
                    continue;
                }
                resources.add(new DiscoveredResource(externalId, externalId + " (nginx on " + credential.host() + ")",
                        domains, config));
            }
        }
        return resources;
    }

    /** The host names of {@code server_name}s: {@code .example.com} is the name and its wildcard; regexes are left out. */
    static List<String> domains(List<String> serverNames) {
        Set<String> domains = new LinkedHashSet<>();
        for (String name : serverNames) {
            String n = name.toLowerCase(Locale.ROOT);
            if (n.isEmpty() || n.equals("_") || n.startsWith("~") || n.endsWith(".*") || n.contains("$")
                    || !n.contains(".")) {
                continue;
            }
            if (n.startsWith(".")) {
                domains.add(n.substring(1));
                domains.add("*" + n);
            } else {
                domains.add(n);
            }
        }
        return List.copyOf(domains);
    }

    private static boolean usablePath(String path) {
        return path.startsWith("/") && !path.contains("$");
    }

    private static boolean loopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
    }
}
