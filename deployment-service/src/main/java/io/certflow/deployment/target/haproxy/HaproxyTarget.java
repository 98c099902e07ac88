package io.certflow.deployment.target.haproxy;

import io.certflow.deployment.target.AtomicFiles;
import io.certflow.deployment.target.CertificateBundle;
import io.certflow.deployment.target.DeploymentOutcome;
import io.certflow.deployment.target.ConfiguredTarget;
import io.certflow.deployment.target.PreviousCertificate;
import io.certflow.deployment.target.ReadBack;
import io.certflow.deployment.target.ReadBackCheck;
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
import java.util.concurrent.ConcurrentHashMap;

/**
 * Deploys to an HAProxy 2.2+ on this host without a reload: writes the combined PEM (chain + key) atomically
 * where {@code bind … ssl crt} loads it (so a restart keeps it), then swaps the certificate in HAProxy's memory
 * over the runtime API ({@code set ssl cert} + {@code commit ssl cert} on the admin socket), and reads back
 * over TLS with SNI what HAProxy serves. If HAProxy refuses the certificate or keeps serving another one, the
 * previous file is put back, and the previous certificate too where HAProxy had taken the new one.
 */
public class HaproxyTarget extends ConfiguredTarget<HaproxyConfig> {

    /** The resource type name. */
    public static final String TYPE = "haproxy";

    private static final Logger log = LoggerFactory.getLogger(HaproxyTarget.class);

    private final ServedCertificateReader reader;
    private final HaproxyAdminSocket socket;
    private final Settings settings;
    private final ReadBackCheck readBackCheck;
    /** HAProxy has one certificate transaction at a time: one exchange per admin socket at a time. */
    private final Map<Path, Object> socketLocks = new ConcurrentHashMap<>();

    /**
     * How this adapter behaves on every resource.
     *
     * @param socketTimeout      how long HAProxy may take to answer one runtime API command
     * @param readBackWindow     how long to keep reading back after a commit
     * @param readBackInterval   pause between two read-backs
     * @param allowedDirectories where certificate files may be written and admin sockets may be; empty allows any
     */
    public record Settings(Duration socketTimeout, Duration readBackWindow, Duration readBackInterval,
                           List<Path> allowedDirectories) {
        public Settings {
            Objects.requireNonNull(socketTimeout, "socketTimeout");
            Objects.requireNonNull(readBackWindow, "readBackWindow");
            Objects.requireNonNull(readBackInterval, "readBackInterval");
            allowedDirectories = allowedDirectories == null ? List.of() : List.copyOf(allowedDirectories);
        }

        /** 10 s per command, 5 s read-back window polled every 200 ms, any directory. */
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofMillis(200), List.of());
        }
    }

    public HaproxyTarget(ServedCertificateReader reader, Settings settings) {
        super(TYPE);
        this.reader = reader;
        this.settings = settings;
        this.readBackCheck = new ReadBackCheck(settings.readBackWindow(), settings.readBackInterval());
        this.socket = new HaproxyAdminSocket(settings.socketTimeout());
    }

    @Override
    protected DeploymentOutcome install(HaproxyConfig config, CertificateBundle bundle, String wanted, String where) {
        PreviousCertificate previous;
        try {
            previous = snapshot(config);
        } catch (IOException e) {
            return DeploymentOutcome.failed(null, "nothing deployed: cannot read the current certificate file: "
                    + e.getMessage(), null);
        }
        String combined = CombinedPem.join(bundle.certificateChainPem(), bundle.privateKeyPem());
        try {
            AtomicFiles.write(config.certificatePath(), combined.getBytes(StandardCharsets.ISO_8859_1),
                    AtomicFiles.OWNER_ONLY);
        } catch (IOException e) {
            String restored = restoreFile(config, previous);
            return failed(config, previous, "cannot write the certificate file: " + e.getMessage() + "; " + restored);
        }
        Optional<String> refused = update(config, combined);
        if (refused.isPresent()) {
            log.warn("HAProxy did not take certificate {} for {}: {}", wanted, where, refused.get());
            String restored = restoreFile(config, previous);
            return failed(config, previous, refused.get() + "; HAProxy's memory was not changed; " + restored);
        }
        ReadBack served = readBackCheck.awaitServing(() -> read(config), wanted);
        if (ReadBackCheck.serves(served, wanted)) {
            log.info("{} serves certificate {}", where, wanted);
            return DeploymentOutcome.succeeded(wanted, "HAProxy serves " + wanted + " for " + config.serverName(),
                    previous);
        }
        log.warn("{} does not serve {} after commit ({}); restoring the previous certificate",
                where, wanted, served.describe());
        String restored = restoreBoth(config, previous);
        return failed(config, previous, "after commit HAProxy " + served.describe() + " instead of " + wanted
                + "; " + restored);
    }

    @Override
    protected DeploymentOutcome restoreOn(HaproxyConfig config, PreviousCertificate previous) {
        String restored = restoreBoth(config, previous);
        Optional<String> wanted = previous.serialNumber();
        if (wanted.isEmpty()) {
            return DeploymentOutcome.failed(read(config).serialNumber().orElse(null), restored, null);
        }
        ReadBack served = readBackCheck.awaitServing(() -> read(config), wanted.get());
        if (ReadBackCheck.serves(served, wanted.get())) {
            return DeploymentOutcome.succeeded(wanted.get(), restored + "; HAProxy serves " + wanted.get(), null);
        }
        return DeploymentOutcome.failed(served.serialNumber().orElse(null),
                restored + " but HAProxy " + served.describe() + " instead of " + wanted.get(), null);
    }

    @Override
    protected HaproxyConfig parse(Map<String, String> config) {
        return HaproxyConfig.parse(config, settings.allowedDirectories());
    }

    /**
     * {@code set ssl cert} then {@code commit ssl cert}; empty if HAProxy took the certificate, else why not
     * (HAProxy's own words, without any PEM). An uncommitted transaction is aborted.
     */
    private Optional<String> update(HaproxyConfig config, String combined) {
        Path path = config.certificatePath();
        synchronized (socketLocks.computeIfAbsent(config.adminSocket(), p -> new Object())) {
            try {
                SslCertCommands.Answer set = SslCertCommands.readSet(
                        socket.send(config.adminSocket(), SslCertCommands.set(path, combined)));
                if (!set.accepted()) {
                    abort(config);
                    return Optional.of("HAProxy refused 'set ssl cert " + path + "': " + set.message());
                }
                SslCertCommands.Answer commit = SslCertCommands.readCommit(
                        socket.send(config.adminSocket(), SslCertCommands.commit(path)));
                if (!commit.accepted()) {
                    abort(config);
                    return Optional.of("HAProxy refused 'commit ssl cert " + path + "': " + commit.message());
                }
                return Optional.empty();
            } catch (IOException e) {
                abort(config);
                return Optional.of("HAProxy's runtime API failed: " + e.getMessage());
            }
        }
    }

    /** Drops a pending transaction, if any; HAProxy's answer does not matter. */
    private void abort(HaproxyConfig config) {
        try {
            socket.send(config.adminSocket(), SslCertCommands.abort(config.certificatePath()));
        } catch (IOException e) {
            log.debug("abort ssl cert {} failed: {}", config.certificatePath(), e.getMessage());
        }
    }

    @Override
    protected ReadBack read(HaproxyConfig config) {
        return reader.read(config.tlsHost(), config.tlsPort(), config.serverName());
    }

    private DeploymentOutcome failed(HaproxyConfig config, PreviousCertificate previous, String message) {
        return DeploymentOutcome.failed(read(config).serialNumber().orElse(null), message, previous);
    }

    private static PreviousCertificate snapshot(HaproxyConfig config) throws IOException {
        Path file = config.certificatePath();
        return Files.exists(file)
                ? CombinedPem.split(Files.readString(file, StandardCharsets.ISO_8859_1))
                : PreviousCertificate.none();
    }

    /** Puts the previous file back (or removes the new one if there was none); says what it did. */
    private static String restoreFile(HaproxyConfig config, PreviousCertificate previous) {
        try {
            if (!previous.present()) {
                Files.deleteIfExists(config.certificatePath());
                return "there was no previous certificate file: the new file was removed";
            }
            AtomicFiles.write(config.certificatePath(),
                    CombinedPem.join(previous.certificateChainPem(), previous.privateKeyPem())
                            .getBytes(StandardCharsets.ISO_8859_1), AtomicFiles.OWNER_ONLY);
            return "previous certificate file " + previous.serialNumber().orElse("(unreadable)") + " restored";
        } catch (IOException e) {
            return "restoring the previous certificate file FAILED: " + e.getMessage();
        }
    }

    /** Puts the previous certificate back on disk and in HAProxy's memory; says what it did. */
    private String restoreBoth(HaproxyConfig config, PreviousCertificate previous) {
        String file = restoreFile(config, previous);
        if (!previous.present() || previous.privateKeyPem() == null) {
            return file + "; HAProxy's memory cannot be given back a certificate it did not have";
        }
        Optional<String> refused = update(config, CombinedPem.join(previous.certificateChainPem(), previous.privateKeyPem()));
        return refused.map(reason -> file + "; putting it back in HAProxy's memory FAILED: " + reason)
                .orElse(file + " and committed to HAProxy");
    }

}
