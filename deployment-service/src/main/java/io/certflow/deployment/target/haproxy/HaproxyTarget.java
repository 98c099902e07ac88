package io.certflow.deployment.target.haproxy;

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
import io.certflow.deployment.tls.ServedCertificateReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
 * previous file is put back, and the previous certificate too where HAProxy had taken the new one; the outcome is
 * {@code ROLLED_BACK} when a read-back shows HAProxy serving the previous certificate again, {@code FAILED}
 * (saying what is left) otherwise. An HAProxy whose TLS address or admin socket takes no connection is not
 * touched at all (a retryable outcome); one that has not loaded the certificate file is not either.
 *
 * <p>It lists its resources from the runtime API: one per certificate file a {@code bind} serves (see
 * {@link HaproxyDiscovery}). A local HAProxy needs no credential; discovery takes plain settings only.
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
    public boolean discovers() {
        return true;
    }

    @Override
    public void validateCredential(TargetAccess access) {
        HaproxyDiscovery.Access.parse(access, settings.allowedDirectories());
    }

    @Override
    public List<CredentialField> credentialFields() {
        return HaproxyDiscovery.FIELDS;
    }

    /**
     * The certificate files HAProxy serves, as its runtime API lists them ({@code show ssl cert}): one resource
     * each, with the settings a person would register. Certificates certflow cannot deploy to are left out and
     * logged (see {@link HaproxyDiscovery}).
     *
     * @param access plain settings, no secret: {@code adminSocket}, {@code tlsAddress}
     * @throws TargetException retryable when the admin socket cannot be reached or does not answer; not when the
     *                         settings are wrong or HAProxy refuses to list (a socket below {@code level admin})
     */
    @Override
    public List<DiscoveredResource> discover(TargetAccess access) {
        HaproxyDiscovery.Access haproxy;
        try {
            haproxy = HaproxyDiscovery.Access.parse(access, settings.allowedDirectories());
        } catch (InvalidTargetConfigException e) {
            throw new TargetException(e.getMessage(), false);
        }
        try {
            String listing = socket.send(haproxy.adminSocket(), SslCertCommands.list());
            List<String> files = SslCertCommands.readList(listing).orElseThrow(() -> new TargetException(
                    "HAProxy did not list its certificates (the admin socket needs 'level admin'): "
                            + SslCertCommands.clean(listing), false));
            List<DiscoveredResource> resources = new ArrayList<>();
            for (String file : files) {
                if (file.chars().anyMatch(Character::isWhitespace)) {
                    log.info("HAProxy certificate '{}' left out: the runtime API takes no name with white space", file);
                    continue;
                }
                SslCertCommands.readShow(socket.send(haproxy.adminSocket(), SslCertCommands.show(file)))
                        .flatMap(certificate -> HaproxyDiscovery.resource(certificate, haproxy, this::validate))
                        .ifPresent(resources::add);
            }
            return List.copyOf(resources);
        } catch (IOException e) {
            throw new TargetException(e.getMessage(), true, e);
        }
    }

    @Override
    protected DeploymentOutcome install(HaproxyConfig config, CertificateBundle bundle, String wanted, String where) {
        Optional<DeploymentOutcome> untouched = beforeWriting(config);
        if (untouched.isPresent()) {
            return untouched.get();
        }
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
            return rollBack(config, previous, "cannot write the certificate file: " + e.getMessage(), false);
        }
        Optional<String> refused = update(config, combined);
        if (refused.isPresent()) {
            log.warn("HAProxy did not take certificate {} for {}: {}", wanted, where, refused.get());
            return rollBack(config, previous, refused.get() + "; HAProxy's memory was not changed", false);
        }
        ReadBack served = readBackCheck.awaitServing(() -> read(config), wanted);
        if (ReadBackCheck.serves(served, wanted)) {
            log.info("{} serves certificate {}", where, wanted);
            return DeploymentOutcome.succeeded(wanted, "HAProxy serves " + wanted + " for " + config.serverName(),
                    previous);
        }
        log.warn("{} does not serve {} after commit ({}); restoring the previous certificate",
                where, wanted, served.describe());
        return rollBack(config, previous, "after commit " + describe(served) + " instead of " + wanted, true);
    }

    /**
     * Puts the previous file back (and the previous certificate in HAProxy's memory if it took the new one), and
     * proves what it serves: {@code ROLLED_BACK} when it serves the previous certificate, else {@code FAILED}
     * saying what is left.
     *
     * @param what     what went wrong, first in the message
     * @param inMemory whether HAProxy committed the new certificate
     */
    private DeploymentOutcome rollBack(HaproxyConfig config, PreviousCertificate previous, String what,
                                       boolean inMemory) {
        String restored;
        try {
            restored = restoreFile(config, previous);
        } catch (IOException e) {
            return DeploymentOutcome.failed(read(config).serialNumber().orElse(null), what
                    + "; putting the previous file back FAILED (" + e.getMessage() + "): " + config.certificatePath()
                    + " holds the new certificate, which a restart would load", previous);
        }
        if (inMemory) {
            restored += restoreMemory(config, previous);
        }
        Optional<String> before = previous.serialNumber();
        ReadBack served = before.isPresent() ? readBackCheck.awaitServing(() -> read(config), before.get()) : read(config);
        if (before.isPresent() && ReadBackCheck.serves(served, before.get())) {
            return DeploymentOutcome.rolledBack(before.get(), what + "; " + restored + "; HAProxy serves " + before.get());
        }
        return DeploymentOutcome.failed(served.serialNumber().orElse(null), what + "; " + restored + ", but "
                + describe(served) + (before.isPresent() ? ", not " + before.get() : ""), previous);
    }

    @Override
    protected DeploymentOutcome restoreOn(HaproxyConfig config, PreviousCertificate previous) {
        String restored;
        try {
            restored = restoreFile(config, previous);
        } catch (IOException e) {
            restored = "restoring the previous certificate file FAILED: " + e.getMessage();
        }
        restored += restoreMemory(config, previous);
        Optional<String> wanted = previous.serialNumber();
        if (wanted.isEmpty()) {
            return DeploymentOutcome.failed(read(config).serialNumber().orElse(null), restored, null);
        }
        ReadBack served = readBackCheck.awaitServing(() -> read(config), wanted.get());
        if (ReadBackCheck.serves(served, wanted.get())) {
            return DeploymentOutcome.succeeded(wanted.get(), restored + "; HAProxy serves " + wanted.get(), null);
        }
        return DeploymentOutcome.failed(served.serialNumber().orElse(null),
                restored + " but " + describe(served) + " instead of " + wanted.get(), null);
    }

    /**
     * The outcome when nothing may be written: HAProxy's TLS address or admin socket takes no connection, or
     * another client has a certificate transaction open (all retryable); HAProxy does not list its certificates
     * or has not loaded one under this file name, which it would refuse.
     */
    private Optional<DeploymentOutcome> beforeWriting(HaproxyConfig config) {
        Optional<String> down = reader.connectFailure(config.tlsHost(), config.tlsPort());
        if (down.isPresent()) {
            return Optional.of(DeploymentOutcome.unreachable("nothing deployed: HAProxy is down or not there: "
                    + down.get()));
        }
        String listing;
        synchronized (lock(config)) {
            try {
                listing = socket.send(config.adminSocket(), SslCertCommands.list());
            } catch (IOException e) {
                return Optional.of(DeploymentOutcome.unreachable("nothing deployed: " + e.getMessage()));
            }
        }
        String file = config.certificatePath().toString();
        Optional<List<String>> files = SslCertCommands.readList(listing);
        Optional<String> open = SslCertCommands.readTransaction(listing);
        String refusal = files.isEmpty() ? "HAProxy did not list its certificates (the admin socket needs 'level admin'): "
                + SslCertCommands.clean(listing)
                : !files.get().contains(file) ? "HAProxy has no certificate " + file + " (a bind line must load it with 'crt')"
                : null;
        if (refusal != null) {
            return Optional.of(DeploymentOutcome.failed(read(config).serialNumber().orElse(null),
                    "nothing deployed: " + refusal, null));
        }
        if (open.isPresent()) {
            return Optional.of(DeploymentOutcome.unreachable("nothing deployed: HAProxy is busy: another client has "
                    + "a certificate transaction open on " + open.get()));
        }
        return Optional.empty();
    }

    /** HAProxy has one certificate transaction at a time: certflow talks to one admin socket from one thread. */
    private Object lock(HaproxyConfig config) {
        return socketLocks.computeIfAbsent(config.adminSocket(), p -> new Object());
    }

    @Override
    public void validate(Map<String, String> config) {
        HaproxyConfig.parse(config, settings.allowedDirectories());
    }

    @Override
    protected HaproxyConfig parse(TargetResource resource) {
        return HaproxyConfig.parse(resource.config(), settings.allowedDirectories());
    }

    /**
     * {@code set ssl cert} then {@code commit ssl cert}; empty if HAProxy took the certificate, else why not
     * (HAProxy's own words, without any PEM). An uncommitted transaction is aborted.
     */
    private Optional<String> update(HaproxyConfig config, String combined) {
        Path path = config.certificatePath();
        synchronized (lock(config)) {
            try {
                SslCertCommands.Answer set = SslCertCommands.readSet(path,
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

    /** {@code HAProxy serves 1a2b} or why what it serves could not be read. */
    private static String describe(ReadBack served) {
        return served.known() ? "HAProxy serves " + served.served().serialNumber()
                : "what HAProxy serves could not be read (" + served.failureReason() + ")";
    }

    private static PreviousCertificate snapshot(HaproxyConfig config) throws IOException {
        Path file = config.certificatePath();
        return Files.exists(file)
                ? CombinedPem.split(Files.readString(file, StandardCharsets.ISO_8859_1))
                : PreviousCertificate.none();
    }

    /** Puts the previous file back (or removes the new one if there was none); says what it did. */
    private static String restoreFile(HaproxyConfig config, PreviousCertificate previous) throws IOException {
        if (!previous.present()) {
            Files.deleteIfExists(config.certificatePath());
            return "there was no previous certificate file: the new file was removed";
        }
        AtomicFiles.write(config.certificatePath(),
                CombinedPem.join(previous.certificateChainPem(), previous.privateKeyPem())
                        .getBytes(StandardCharsets.ISO_8859_1), AtomicFiles.OWNER_ONLY);
        return "previous certificate file " + previous.serialNumber().orElse("(unreadable)") + " restored";
    }

    /** Puts the previous certificate back in HAProxy's memory; says what it did, after a file's message. */
    private String restoreMemory(HaproxyConfig config, PreviousCertificate previous) {
        if (!previous.present() || previous.privateKeyPem() == null) {
            return "; HAProxy's memory cannot be given back a certificate it did not have";
        }
        Optional<String> refused = update(config, CombinedPem.join(previous.certificateChainPem(), previous.privateKeyPem()));
        return refused.map(reason -> "; putting it back in HAProxy's memory FAILED: " + reason)
                .orElse(" and committed to HAProxy");
    }
}
