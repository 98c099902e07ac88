package io.certflow.deployment.target.nginx;

import io.certflow.deployment.target.AtomicFiles;
import io.certflow.deployment.target.CertificateBundle;
import io.certflow.deployment.target.ConfiguredTarget;
import io.certflow.deployment.target.CredentialField;
import io.certflow.deployment.target.DeploymentOutcome;
import io.certflow.deployment.target.DiscoveredResource;
import io.certflow.deployment.target.InvalidTargetConfigException;
import io.certflow.deployment.target.PreviousCertificate;
import io.certflow.deployment.target.ReadBack;
import io.certflow.deployment.target.ReadBackCheck;
import io.certflow.deployment.target.TargetAccess;
import io.certflow.deployment.target.TargetResource;
import io.certflow.deployment.target.TargetException;
import io.certflow.deployment.target.process.CommandOutput;
import io.certflow.deployment.target.process.CommandRunner;
import io.certflow.deployment.tls.ServedCertificateReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Deploys to an nginx server on this host: writes {@code ssl_certificate} and {@code ssl_certificate_key}
 * atomically, tests the configuration, reloads, and reads back over TLS with SNI what nginx serves. If
 * anything fails or nginx keeps serving another certificate, the previous files are put back and nginx is
 * reloaded, so a bad certificate never stays on a server; the outcome is {@code ROLLED_BACK} when a read-back
 * shows nginx serving the previous certificate again, {@code FAILED} (saying what is left) otherwise. An nginx
 * that takes no connection is not touched at all (a retryable outcome).
 *
 * <p>It lists its resources from {@code nginx -T}: one per server block that serves TLS (see
 * {@link NginxDiscovery}). A local nginx needs no credential; discovery takes plain settings only.
 */
public class NginxTarget extends ConfiguredTarget<NginxConfig> {

    /** The resource type name. */
    public static final String TYPE = "nginx";

    private static final Logger log = LoggerFactory.getLogger(NginxTarget.class);
    /** How many lines of nginx's complaint a message quotes. */
    private static final int ERROR_LINES = 3;
    /** How long nginx must serve a certificate before a read-back counts (see {@link #awaitServing}). */
    private static final Duration STEADY = Duration.ofMillis(300);
    /** The largest configuration dump read from {@code nginx -T}. */
    private static final int MAX_DUMP_BYTES = 8 * 1024 * 1024;
    /** How long the first change to a server waits for others to share its test and reload. */
    private static final Duration GATHER = Duration.ofMillis(100);

    private final ServedCertificateReader reader;
    private final CommandRunner commands;
    private final Settings settings;
    private final ServerReloads reloads;

    /**
     * How this adapter behaves on every resource.
     *
     * @param commandTimeout     how long a reload or config test may take before it is killed
     * @param readBackWindow     how long to keep reading back after a reload (nginx swaps workers asynchronously)
     * @param readBackInterval   pause between two read-backs
     * @param allowedExecutables what commands may start (their first word); empty allows any
     * @param allowedDirectories where certificate and key files may be written; empty allows any
     */
    public record Settings(Duration commandTimeout, Duration readBackWindow, Duration readBackInterval,
                           List<String> allowedExecutables, List<Path> allowedDirectories) {
        public Settings {
            Objects.requireNonNull(commandTimeout, "commandTimeout");
            Objects.requireNonNull(readBackWindow, "readBackWindow");
            Objects.requireNonNull(readBackInterval, "readBackInterval");
            allowedExecutables = allowedExecutables == null ? List.of() : List.copyOf(allowedExecutables);
            allowedDirectories = allowedDirectories == null ? List.of() : List.copyOf(allowedDirectories);
        }

        /** 30 s commands, 10 s read-back window polled every 200 ms, any executable, any directory. */
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofMillis(200), List.of(), List.of());
        }
    }

    public NginxTarget(ServedCertificateReader reader, CommandRunner commands, Settings settings) {
        this(reader, commands, settings, GATHER);
    }

    /** @param gather how long the first change to a server waits for others to share its test and reload */
    NginxTarget(ServedCertificateReader reader, CommandRunner commands, Settings settings, Duration gather) {
        super(TYPE);
        this.reader = reader;
        this.commands = commands;
        this.settings = settings;
        this.reloads = new ServerReloads(commands, settings.commandTimeout(), gather);
    }

    @Override
    public boolean discovers() {
        return true;
    }

    @Override
    public void validateCredential(TargetAccess access) {
        NginxDiscovery.Access.parse(access, settings.allowedExecutables());
    }

    @Override
    public List<CredentialField> credentialFields() {
        return NginxDiscovery.FIELDS;
    }

    /**
     * The server blocks that serve TLS, as {@code nginx -T} prints them: one resource each, with the settings a
     * person would register (its files, a reload and a test command for the same nginx, its address and name).
     * Blocks certflow cannot deploy to are left out and logged (see {@link NginxDiscovery}).
     *
     * @param access plain settings, no secret: {@code configPath}, {@code binary}, {@code prefix}
     * @throws TargetException retryable when nginx did not answer in time; not when the settings are wrong or
     *                         nginx refuses its configuration
     */
    @Override
    public List<DiscoveredResource> discover(TargetAccess access) {
        NginxDiscovery.Access local;
        try {
            local = NginxDiscovery.Access.parse(access, settings.allowedExecutables());
        } catch (InvalidTargetConfigException e) {
            throw new TargetException(e.getMessage(), false);
        }
        CommandOutput dump = commands.capture(local.dumpCommand(), settings.commandTimeout(), MAX_DUMP_BYTES);
        if (dump.result().timedOut()) {
            throw new TargetException("nginx -T did not finish within " + settings.commandTimeout().toSeconds() + " s",
                    true);
        }
        if (!dump.result().succeeded()) {
            throw new TargetException("nginx -T failed: " + dump.result().describe(ERROR_LINES), false);
        }
        if (dump.stdout() == null) {
            throw new TargetException("nginx -T printed more than " + MAX_DUMP_BYTES / (1024 * 1024)
                    + " MiB of configuration", false);
        }
        List<NginxConfigDump.ServerBlock> blocks;
        try {
            blocks = NginxConfigDump.serverBlocks(dump.stdout());
        } catch (IllegalArgumentException e) {
            throw new TargetException("cannot read what nginx -T printed: " + e.getMessage(), false);
        }
        return NginxDiscovery.resources(blocks, local, this::validate);
    }

    /**
     * Writes the files, then shares one configuration test and one reload with the other deployments to the same
     * nginx server that arrived meanwhile ({@link ServerReloads}), and reads back this resource's name.
     */
    @Override
    protected DeploymentOutcome install(NginxConfig config, CertificateBundle bundle, String wanted, String where) {
        Optional<String> down = reader.connectFailure(config.tlsHost(), config.tlsPort());
        if (down.isPresent()) {
            return DeploymentOutcome.unreachable("nothing deployed: nginx is down or not there: " + down.get());
        }
        PreviousCertificate previous;
        try {
            previous = snapshot(config);
        } catch (IOException e) {
            return DeploymentOutcome.failed(null, "nothing deployed: cannot read the current certificate files: "
                    + e.getMessage(), null);
        }
        ServerReloads.Reload reload;
        try {
            reload = reloads.writeAndReload(config, () -> write(config, bundle.certificateChainPem(), bundle.privateKeyPem()));
        } catch (IOException e) {
            return rollBack(config, previous, "cannot write the certificate files: " + e.getMessage(), false);
        }
        if (reload.testFailed()) {
            log.warn("nginx configuration test failed for {}: {}", where, reload.test().describe());
            return rollBack(config, previous, "nginx configuration test failed, so nginx was not reloaded ("
                    + reload.test().describe(ERROR_LINES) + ")", false);
        }
        if (!reload.reload().succeeded()) {
            log.warn("nginx reload failed for {}: {}", where, reload.reload().describe());
            return rollBack(config, previous, "nginx reload failed (" + reload.reload().describe(ERROR_LINES) + ")", true);
        }
        ReadBack served = awaitServing(config, wanted);
        if (ReadBackCheck.serves(served, wanted)) {
            log.info("{} serves certificate {}", where, wanted);
            return DeploymentOutcome.succeeded(wanted, "nginx serves " + wanted + " for " + config.serverName(), previous);
        }
        log.warn("{} does not serve {} after reload ({}); restoring the previous certificate",
                where, wanted, served.describe());
        return rollBack(config, previous, "after reload " + describe(served) + " instead of " + wanted, true);
    }

    /**
     * Puts the previous files back, reloads nginx if it may have loaded the new ones, and proves what it serves:
     * {@code ROLLED_BACK} when it serves the previous certificate, else {@code FAILED} saying what is left.
     *
     * @param what   what went wrong, first in the message
     * @param reload whether nginx may have loaded the new files (it was reloaded)
     */
    private DeploymentOutcome rollBack(NginxConfig config, PreviousCertificate previous, String what, boolean reload) {
        String restored = restored(previous);
        try {
            if (reload) {
                restored += reloaded(reloads.writeAndReload(config, () -> restoreFiles(config, previous)));
            } else {
                reloads.write(config, () -> restoreFiles(config, previous));
            }
        } catch (IOException e) {
            return DeploymentOutcome.failed(readSerial(config), what + "; putting the previous files back FAILED ("
                    + e.getMessage() + "): " + config.certificatePath() + " and " + config.keyPath()
                    + " may hold the new certificate", previous);
        }
        Optional<String> before = previous.serialNumber();
        ReadBack served = before.isPresent() ? awaitServing(config, before.get()) : read(config);
        if (before.isPresent() && ReadBackCheck.serves(served, before.get())) {
            return DeploymentOutcome.rolledBack(before.get(), what + "; " + restored + "; nginx serves " + before.get());
        }
        return DeploymentOutcome.failed(served.serialNumber().orElse(null), what + "; " + restored + ", but "
                + describe(served) + (before.isPresent() ? ", not " + before.get() : ""), previous);
    }

    @Override
    protected DeploymentOutcome restoreOn(NginxConfig config, PreviousCertificate previous) {
        String restored = restored(previous);
        ServerReloads.Reload reload;
        try {
            reload = reloads.writeAndReload(config, () -> restoreFiles(config, previous));
        } catch (IOException e) {
            return DeploymentOutcome.failed(readSerial(config), "restoring the previous certificate files FAILED: "
                    + e.getMessage(), null);
        }
        if (reload.testFailed() || !reload.reload().succeeded()) {
            return DeploymentOutcome.failed(readSerial(config), restored + reloaded(reload), null);
        }
        Optional<String> wanted = previous.serialNumber();
        if (wanted.isEmpty()) {
            ReadBack now = read(config);
            return DeploymentOutcome.succeeded(now.serialNumber().orElse(null), restored + " and reloaded", null);
        }
        ReadBack served = awaitServing(config, wanted.get());
        if (ReadBackCheck.serves(served, wanted.get())) {
            return DeploymentOutcome.succeeded(wanted.get(), restored + "; nginx serves " + wanted.get(), null);
        }
        return DeploymentOutcome.failed(served.serialNumber().orElse(null),
                restored + " but " + describe(served) + " instead of " + wanted.get(), null);
    }

    @Override
    public void validate(Map<String, String> config) {
        NginxConfig.parse(config, settings.allowedExecutables(), settings.allowedDirectories());
    }

    @Override
    protected NginxConfig parse(TargetResource resource) {
        return NginxConfig.parse(resource.config(), settings.allowedExecutables(), settings.allowedDirectories());
    }

    /**
     * Reads back until nginx serves {@code wanted} steadily, for {@link #STEADY}: right after a reload nginx's old
     * workers keep taking connections beside the new ones for about 100 ms, with the certificate they loaded. Gives
     * the last answer when the read-back window closes first.
     */
    private ReadBack awaitServing(NginxConfig config, String wanted) {
        long deadline = System.nanoTime() + settings.readBackWindow().toNanos();
        long servingSince = -1;
        while (true) {
            ReadBack served = read(config);
            long now = System.nanoTime();
            servingSince = !ReadBackCheck.serves(served, wanted) ? -1 : servingSince < 0 ? now : servingSince;
            if ((servingSince >= 0 && now - servingSince >= STEADY.toNanos()) || now >= deadline) {
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

    /** {@code nginx serves 1a2b} or why what it serves could not be read. */
    private static String describe(ReadBack served) {
        return served.known() ? "nginx serves " + served.served().serialNumber()
                : "what nginx serves could not be read (" + served.failureReason() + ")";
    }

    private String readSerial(NginxConfig config) {
        return read(config).serialNumber().orElse(null);
    }

    @Override
    protected ReadBack read(NginxConfig config) {
        return reader.read(config.tlsHost(), config.tlsPort(), config.serverName());
    }

    private static PreviousCertificate snapshot(NginxConfig config) throws IOException {
        return new PreviousCertificate(readIfExists(config.certificatePath()), readIfExists(config.keyPath()));
    }

    private static String readIfExists(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : null;
    }

    private static void write(NginxConfig config, String chainPem, String keyPem) throws IOException {
        AtomicFiles.write(config.keyPath(), keyPem.getBytes(StandardCharsets.ISO_8859_1), AtomicFiles.OWNER_ONLY);
        AtomicFiles.write(config.certificatePath(), chainPem.getBytes(StandardCharsets.ISO_8859_1), AtomicFiles.WORLD_READABLE);
    }

    /** {@code " and reloaded"}, or why nginx was not. */
    private static String reloaded(ServerReloads.Reload reload) {
        if (reload.testFailed()) {
            return "; nginx configuration test failed, so nginx was not reloaded (" + reload.test().describe(ERROR_LINES) + ")";
        }
        return reload.reload().succeeded() ? " and reloaded"
                : " (reloading it failed: " + reload.reload().describe(ERROR_LINES) + ")";
    }

    /** What {@link #restoreFiles} did, for a message. */
    private static String restored(PreviousCertificate previous) {
        return previous.present()
                ? "previous certificate " + previous.serialNumber().orElse("(unreadable)") + " restored"
                : "there was no previous certificate: the new files were removed";
    }

    /** Puts the previous files back, or removes the new ones if there were none. */
    private static void restoreFiles(NginxConfig config, PreviousCertificate previous) throws IOException {
        restoreFile(config.keyPath(), previous.privateKeyPem(), AtomicFiles.OWNER_ONLY);
        restoreFile(config.certificatePath(), previous.certificateChainPem(), AtomicFiles.WORLD_READABLE);
    }

    private static void restoreFile(Path file, String content, java.util.Set<java.nio.file.attribute.PosixFilePermission> mode)
            throws IOException {
        if (content == null) {
            Files.deleteIfExists(file);
        } else {
            AtomicFiles.write(file, content.getBytes(StandardCharsets.ISO_8859_1), mode);
        }
    }

}
