package io.certflow.deployment.target.nginx;

import io.certflow.deployment.target.AtomicFiles;
import io.certflow.deployment.target.CertificateBundle;
import io.certflow.deployment.target.DeploymentOutcome;
import io.certflow.deployment.target.ConfiguredTarget;
import io.certflow.deployment.target.PreviousCertificate;
import io.certflow.deployment.target.ReadBack;
import io.certflow.deployment.target.ReadBackCheck;
import io.certflow.deployment.target.process.CommandResult;
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
 * reloaded, so a bad certificate never stays on a server.
 */
public class NginxTarget extends ConfiguredTarget<NginxConfig> {

    /** The resource type name. */
    public static final String TYPE = "nginx";

    private static final Logger log = LoggerFactory.getLogger(NginxTarget.class);

    private final ServedCertificateReader reader;
    private final CommandRunner commands;
    private final Settings settings;
    private final ReadBackCheck readBackCheck;

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
        super(TYPE);
        this.reader = reader;
        this.commands = commands;
        this.settings = settings;
        this.readBackCheck = new ReadBackCheck(settings.readBackWindow(), settings.readBackInterval());
    }

    @Override
    protected DeploymentOutcome install(NginxConfig config, CertificateBundle bundle, String wanted, String where) {
        PreviousCertificate previous;
        try {
            previous = snapshot(config);
        } catch (IOException e) {
            return DeploymentOutcome.failed(null, "nothing deployed: cannot read the current certificate files: "
                    + e.getMessage(), null);
        }
        try {
            write(config, bundle.certificateChainPem(), bundle.privateKeyPem());
        } catch (IOException e) {
            String restored = restoreFiles(config, previous);
            return failed(config, previous, "cannot write the certificate files: " + e.getMessage() + "; " + restored);
        }
        if (!config.testCommand().isEmpty()) {
            CommandResult test = commands.run(config.testCommand(), settings.commandTimeout());
            if (!test.succeeded()) {
                String restored = restoreFiles(config, previous);
                log.warn("nginx configuration test failed for {}: {}", where, test.describe());
                return failed(config, previous, "nginx configuration test failed (" + test.describe()
                        + "); nginx was not reloaded; " + restored);
            }
        }
        CommandResult reload = commands.run(config.reloadCommand(), settings.commandTimeout());
        if (!reload.succeeded()) {
            log.warn("nginx reload failed for {}: {}", where, reload.describe());
            String restored = restoreFiles(config, previous);
            CommandResult again = commands.run(config.reloadCommand(), settings.commandTimeout());
            return failed(config, previous, "nginx reload failed (" + reload.describe() + "); " + restored
                    + (again.succeeded() ? " and reloaded" : " (reload failed again: " + again.describe() + ")"));
        }
        ReadBack served = readBackCheck.awaitServing(() -> read(config), wanted);
        if (ReadBackCheck.serves(served, wanted)) {
            log.info("{} serves certificate {}", where, wanted);
            return DeploymentOutcome.succeeded(wanted, "nginx serves " + wanted + " for " + config.serverName(), previous);
        }
        log.warn("{} does not serve {} after reload ({}); restoring the previous certificate",
                where, wanted, served.describe());
        String restored = restoreFiles(config, previous);
        CommandResult again = commands.run(config.reloadCommand(), settings.commandTimeout());
        return failed(config, previous, "after reload nginx " + served.describe() + " instead of " + wanted
                + "; " + restored + (again.succeeded() ? " and reloaded" : " (reload failed: " + again.describe() + ")"));
    }

    @Override
    protected DeploymentOutcome restoreOn(NginxConfig config, PreviousCertificate previous) {
        String restored = restoreFiles(config, previous);
        CommandResult reload = commands.run(config.reloadCommand(), settings.commandTimeout());
        if (!reload.succeeded()) {
            return DeploymentOutcome.failed(readSerial(config), restored + "; nginx reload failed: " + reload.describe(), null);
        }
        Optional<String> wanted = previous.serialNumber();
        if (wanted.isEmpty()) {
            ReadBack now = read(config);
            return DeploymentOutcome.succeeded(now.serialNumber().orElse(null), restored + " and reloaded", null);
        }
        ReadBack served = readBackCheck.awaitServing(() -> read(config), wanted.get());
        if (ReadBackCheck.serves(served, wanted.get())) {
            return DeploymentOutcome.succeeded(wanted.get(), restored + "; nginx serves " + wanted.get(), null);
        }
        return DeploymentOutcome.failed(served.serialNumber().orElse(null),
                restored + " but nginx " + served.describe() + " instead of " + wanted.get(), null);
    }

    @Override
    protected NginxConfig parse(Map<String, String> config) {
        return NginxConfig.parse(config, settings.allowedExecutables(), settings.allowedDirectories());
    }

    private DeploymentOutcome failed(NginxConfig config, PreviousCertificate previous, String message) {
        return DeploymentOutcome.failed(readSerial(config), message, previous);
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

    /** Puts the previous files back (or removes the new ones if there were none); says what it did. */
    private static String restoreFiles(NginxConfig config, PreviousCertificate previous) {
        try {
            restoreFile(config.keyPath(), previous.privateKeyPem(), AtomicFiles.OWNER_ONLY);
            restoreFile(config.certificatePath(), previous.certificateChainPem(), AtomicFiles.WORLD_READABLE);
            return previous.present()
                    ? "previous certificate " + previous.serialNumber().orElse("(unreadable)") + " restored"
                    : "there was no previous certificate: the new files were removed";
        } catch (IOException e) {
            return "restoring the previous certificate files FAILED: " + e.getMessage();
        }
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
