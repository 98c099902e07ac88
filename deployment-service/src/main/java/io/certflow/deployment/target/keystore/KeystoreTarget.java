package io.certflow.deployment.target.keystore;

import io.certflow.deployment.target.AtomicFiles;
import io.certflow.deployment.target.CertificateBundle;
import io.certflow.deployment.target.DeploymentOutcome;
import io.certflow.deployment.target.ConfiguredTarget;
import io.certflow.deployment.target.CredentialField;
import io.certflow.deployment.target.PemCertificates;
import io.certflow.deployment.target.PreviousCertificate;
import io.certflow.deployment.target.ReadBack;
import io.certflow.deployment.target.Reach;
import io.certflow.deployment.target.ReadBackCheck;
import io.certflow.deployment.target.ServedCertificate;
import io.certflow.deployment.target.TargetAccess;
import io.certflow.deployment.target.TargetResource;
import io.certflow.deployment.target.keystore.KeystoreEntries.KeystoreProblem;
import io.certflow.deployment.target.process.CommandResult;
import io.certflow.deployment.target.process.CommandRunner;
import io.certflow.deployment.tls.ServedCertificateReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Deploys to a Java server (Tomcat, Jetty, Spring Boot…) through the keystore file it loads: puts the chain
 * and key at one alias of a PKCS12 or JKS keystore (other entries are kept), writes the file atomically with
 * mode 0600, runs the optional reload command, and proves the result: over TLS with SNI where the resource
 * has a {@code tlsAddress}, else by opening the written file with the JDK's {@link KeyStore} and comparing the
 * leaf serial at the alias. If the reload fails or the server keeps serving another certificate, the previous
 * file is put back byte for byte and the server reloaded again.
 *
 * <p>The passwords come from the resource's credential ({@link KeystorePasswords}).
 */
public class KeystoreTarget extends ConfiguredTarget<Reach<KeystoreConfig, KeystorePasswords>> {

    /** The resource type name. */
    public static final String TYPE = "keystore";

    private static final Logger log = LoggerFactory.getLogger(KeystoreTarget.class);

    private final ServedCertificateReader reader;
    private final CommandRunner commands;
    private final Settings settings;
    private final ReadBackCheck readBackCheck;
    /** Two resources may be two aliases of one file: one change of a file at a time. */
    private final Map<Path, Object> fileLocks = new ConcurrentHashMap<>();

    /**
     * How this adapter behaves on every resource.
     *
     * @param commandTimeout     how long a reload command may take before it is killed
     * @param readBackWindow     how long to keep reading back over TLS after a reload
     * @param readBackInterval   pause between two read-backs
     * @param allowedExecutables what reload commands may start (their first word); empty allows any
     * @param allowedDirectories where keystore files may be written (or below); empty allows any
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
    }

    public KeystoreTarget(ServedCertificateReader reader, CommandRunner commands, Settings settings) {
        super(TYPE);
        this.reader = reader;
        this.commands = commands;
        this.settings = settings;
        this.readBackCheck = new ReadBackCheck(settings.readBackWindow(), settings.readBackInterval());
    }

    @Override
    public String displayName() {
        return "Java keystore (PKCS12/JKS)";
    }

    @Override
    public boolean needsCredential() {
        return true;
    }

    @Override
    public void validateCredential(TargetAccess access) {
        KeystorePasswords.validate(access);
    }

    @Override
    public List<CredentialField> credentialFields() {
        return KeystorePasswords.FIELDS;
    }

    @Override
    public void validate(Map<String, String> config) {
        parse(config);
    }

    @Override
    protected Reach<KeystoreConfig, KeystorePasswords> parse(TargetResource resource) {
        return Reach.of(TYPE, () -> parse(resource.config()), () -> KeystorePasswords.of(resource.access()));
    }

    @Override
    protected ReadBack read(Reach<KeystoreConfig, KeystorePasswords> reach) {
        return read(reach.settings(), reach.credential());
    }

    @Override
    protected DeploymentOutcome install(Reach<KeystoreConfig, KeystorePasswords> reach, CertificateBundle bundle,
                                        String wanted, String where) {
        List<X509Certificate> chain = bundle.chain();
        PrivateKey key;
        try {
            key = KeystoreEntries.privateKey(bundle.privateKeyPem());
        } catch (KeystoreProblem e) {
            return DeploymentOutcome.failed(null, "nothing deployed: " + e.getMessage(), null);
        }
        if (!KeystoreEntries.belongTogether(key, chain.get(0).getPublicKey())) {
            return DeploymentOutcome.failed(null, "nothing deployed: the private key does not belong to the certificate", null);
        }
        synchronized (lock(reach.settings())) {
            return install(reach.settings(), reach.credential(), chain, key, wanted);
        }
    }

    @Override
    protected DeploymentOutcome restoreOn(Reach<KeystoreConfig, KeystorePasswords> reach, PreviousCertificate previous) {
        synchronized (lock(reach.settings())) {
            return restoreOn(reach.settings(), reach.credential(), previous);
        }
    }

    private DeploymentOutcome install(KeystoreConfig config, KeystorePasswords passwords, List<X509Certificate> chain,
                                      PrivateKey key, String wanted) {
        if (config.tlsAddress() != null) {
            ReadBack now = read(config, passwords);
            if (!now.known()) {
                return DeploymentOutcome.unreachable("nothing deployed: " + now.failureReason());
            }
        }
        byte[] before;
        PreviousCertificate previous;
        byte[] after;
        try {
            before = readIfExists(config.path());
            KeyStore keyStore = KeystoreEntries.open(before, config, passwords.store());
            previous = KeystoreEntries.entry(keyStore, config.alias(), passwords.key());
            KeystoreEntries.put(keyStore, config.alias(), key, passwords.key(), chain);
            after = KeystoreEntries.toBytes(keyStore, passwords.store());
        } catch (IOException e) {
            return DeploymentOutcome.failed(null, "nothing deployed: cannot read " + config.path() + ": "
                    + e.getMessage(), null);
        } catch (KeystoreProblem e) {
            return DeploymentOutcome.failed(null, "nothing deployed: " + e.getMessage(), null);
        }
        try {
            AtomicFiles.write(config.path(), after, AtomicFiles.OWNER_ONLY);
        } catch (IOException e) {
            return DeploymentOutcome.failed(null, "nothing deployed: cannot write " + config.path() + ": "
                    + e.getMessage(), null);
        }
        Optional<CommandResult> reload = reload(config);
        if (reload.isPresent() && !reload.get().succeeded()) {
            log.warn("reload of {} failed: {}", config.path(), reload.get().describe());
            return rollBack(config, passwords, before, previous, "the reload command failed (" + reload.get().describe() + ")");
        }
        ReadBack served = prove(config, passwords, wanted);
        if (ReadBackCheck.serves(served, wanted)) {
            log.info("{} serves certificate {}", where(config), wanted);
            return DeploymentOutcome.succeeded(wanted, where(config) + " serves " + wanted, previous);
        }
        log.warn("{} does not serve {} ({}); restoring the previous keystore", where(config), wanted, served.describe());
        return rollBack(config, passwords, before, previous, "after writing the keystore"
                + (reload.isPresent() ? " and reloading, " : ", ") + where(config) + " " + served.describe()
                + " instead of " + wanted);
    }

    /** Puts the file back as it was (or removes it), reloads, and proves the previous certificate served. */
    private DeploymentOutcome rollBack(KeystoreConfig config, KeystorePasswords passwords, byte[] before,
                                       PreviousCertificate previous, String why) {
        try {
            if (before == null) {
                Files.deleteIfExists(config.path());
            } else {
                AtomicFiles.write(config.path(), before, AtomicFiles.OWNER_ONLY);
            }
        } catch (IOException e) {
            return DeploymentOutcome.failed(null, why + "; putting the previous keystore back FAILED: " + e.getMessage(),
                    previous);
        }
        String restored = before == null ? "there was no keystore before: the new file was removed"
                : "the previous keystore file was put back";
        Optional<CommandResult> reload = reload(config);
        if (reload.isPresent()) {
            restored += reload.get().succeeded() ? " and reloaded" : " (reload failed: " + reload.get().describe() + ")";
        }
        Optional<String> previousSerial = previous.serialNumber();
        if (previousSerial.isEmpty()) {
            return DeploymentOutcome.failed(read(config, passwords).serialNumber().orElse(null), why + "; " + restored,
                    previous);
        }
        ReadBack served = prove(config, passwords, previousSerial.get());
        if (ReadBackCheck.serves(served, previousSerial.get())) {
            return DeploymentOutcome.rolledBack(previousSerial.get(), why + "; " + restored + ": "
                    + where(config) + " serves the previous certificate " + previousSerial.get() + " again");
        }
        return DeploymentOutcome.failed(served.serialNumber().orElse(null), why + "; " + restored + " but "
                + where(config) + " " + served.describe() + " instead of the previous " + previousSerial.get(), previous);
    }

    private DeploymentOutcome restoreOn(KeystoreConfig config, KeystorePasswords passwords, PreviousCertificate previous) {
        String done;
        try {
            KeyStore keyStore = KeystoreEntries.open(readIfExists(config.path()), config, passwords.store());
            if (previous.present()) {
                PrivateKey key = KeystoreEntries.privateKey(previous.privateKeyPem());
                KeystoreEntries.put(keyStore, config.alias(), key, passwords.key(),
                        PemCertificates.parseChain(previous.certificateChainPem()));
                done = "previous certificate " + previous.serialNumber().orElse("(unreadable)") + " put back at '"
                        + config.alias() + "'";
            } else {
                keyStore.deleteEntry(config.alias());
                done = "there was no previous certificate: the entry '" + config.alias() + "' was removed";
            }
            if (keyStore.size() == 0) {
                Files.deleteIfExists(config.path());
                done += " and the empty keystore deleted";
            } else {
                AtomicFiles.write(config.path(), KeystoreEntries.toBytes(keyStore, passwords.store()), AtomicFiles.OWNER_ONLY);
            }
        } catch (KeystoreProblem | IOException | KeyStoreException | IllegalArgumentException e) {
            return DeploymentOutcome.failed(null, "nothing restored: " + e.getMessage(), null);
        }
        Optional<CommandResult> reload = reload(config);
        if (reload.isPresent() && !reload.get().succeeded()) {
            return DeploymentOutcome.failed(read(config, passwords).serialNumber().orElse(null),
                    done + "; the reload command failed: " + reload.get().describe(), null);
        }
        Optional<String> wanted = previous.serialNumber();
        if (wanted.isEmpty()) {
            return DeploymentOutcome.succeeded(read(config, passwords).serialNumber().orElse(null), done, null);
        }
        ReadBack served = prove(config, passwords, wanted.get());
        if (ReadBackCheck.serves(served, wanted.get())) {
            return DeploymentOutcome.succeeded(wanted.get(), done + "; " + where(config) + " serves " + wanted.get(), null);
        }
        return DeploymentOutcome.failed(served.serialNumber().orElse(null),
                done + " but " + where(config) + " " + served.describe() + " instead of " + wanted.get(), null);
    }

    /** Reads back until {@code wanted} is served (TLS: the server may take a moment) or once (the file). */
    private ReadBack prove(KeystoreConfig config, KeystorePasswords passwords, String wanted) {
        return config.tlsAddress() == null ? read(config, passwords)
                : readBackCheck.awaitServing(() -> read(config, passwords), wanted);
    }

    private ReadBack read(KeystoreConfig config, KeystorePasswords passwords) {
        if (config.tlsAddress() != null) {
            return reader.read(config.tlsAddress().host(), config.tlsAddress().port(), config.serverName());
        }
        try {
            byte[] content = readIfExists(config.path());
            if (content == null) {
                return ReadBack.unknown(config.path() + " does not exist");
            }
            KeyStore keyStore = KeystoreEntries.open(content, config, passwords.store());
            return ReadBack.of(ServedCertificate.of(KeystoreEntries.leaf(keyStore, config.alias(), passwords.key())));
        } catch (IOException e) {
            return ReadBack.unknown("cannot read " + config.path() + ": " + e.getMessage());
        } catch (KeystoreProblem e) {
            return ReadBack.unknown(e.getMessage());
        }
    }

    private Optional<CommandResult> reload(KeystoreConfig config) {
        return config.reloadCommand().isEmpty() ? Optional.empty()
                : Optional.of(commands.run(config.reloadCommand(), settings.commandTimeout()));
    }

    private KeystoreConfig parse(Map<String, String> config) {
        return KeystoreConfig.parse(config, settings.allowedExecutables(), settings.allowedDirectories());
    }

    private Object lock(KeystoreConfig config) {
        return fileLocks.computeIfAbsent(config.path(), p -> new Object());
    }

    private static byte[] readIfExists(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllBytes(file) : null;
    }

    /** What the read-back looks at, for messages: the TLS server or the file. */
    private static String where(KeystoreConfig config) {
        return config.tlsAddress() == null ? "the keystore " + config.path() + " (entry '" + config.alias() + "')"
                : "the server at " + config.tlsAddress().host() + ":" + config.tlsAddress().port()
                        + " (" + config.serverName() + ")";
    }
}
