package io.certflow.deployment.target.alibaba;

import io.certflow.deployment.target.CertificateBundle;
import io.certflow.deployment.target.CloudCertificateLedger;
import io.certflow.deployment.target.DeploymentOutcome;
import io.certflow.deployment.target.ConfiguredTarget;
import io.certflow.deployment.target.CredentialField;
import io.certflow.deployment.target.DiscoveredResource;
import io.certflow.deployment.target.InvalidTargetConfigException;
import io.certflow.deployment.target.PreviousCertificate;
import io.certflow.deployment.target.ReadBack;
import io.certflow.deployment.target.ReadBackCheck;
import io.certflow.deployment.target.Reach;
import io.certflow.deployment.target.TargetAccess;
import io.certflow.deployment.target.TargetException;
import io.certflow.deployment.target.TargetResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What every Alibaba Cloud target shares: the credential (an AccessKey pair and a region, read by
 * {@link AlibabaAccount}), the SDK clients, the ledger of what was uploaded to the account's certificate store, and
 * discovery; the checks that come before the cloud is touched (settings parse, a credential is there, the bundle is
 * usable) are {@link ConfiguredTarget}'s. A subclass says how one kind of resource is read, changed and put back.
 *
 * @param <C> the parsed settings of one resource
 */
public abstract class AlibabaTarget<C> extends ConfiguredTarget<Reach<C, AlibabaAccount>> {

    private static final Logger log = LoggerFactory.getLogger(AlibabaTarget.class);

    private final String displayName;
    protected final AlibabaClients clients;
    protected final AlibabaProperties properties;
    protected final CloudCertificateLedger ledger;
    protected final int keepCertificates;
    protected final ReadBackCheck readBackCheck;

    protected AlibabaTarget(String type, String displayName, AlibabaClients clients, AlibabaProperties properties,
                            CloudCertificateLedger ledger, int keepCertificates) {
        super(type);
        if (keepCertificates < 1) {
            throw new IllegalArgumentException("keepCertificates must be at least 1");
        }
        this.displayName = displayName;
        this.clients = clients;
        this.properties = properties;
        this.ledger = ledger;
        this.keepCertificates = keepCertificates;
        this.readBackCheck = new ReadBackCheck(properties.readBackWindow(), properties.readBackInterval());
    }

    @Override
    public final String displayName() {
        return displayName;
    }

    @Override
    public final boolean needsCredential() {
        return true;
    }

    @Override
    public final void validateCredential(TargetAccess access) {
        AlibabaAccount.of(type(), access, properties.customEndpoints());
    }

    @Override
    public final List<CredentialField> credentialFields() {
        return properties.customEndpoints() ? AlibabaAccount.FIELDS
                : CredentialField.without(AlibabaAccount.FIELDS, AlibabaAccount.ENDPOINT);
    }

    @Override
    public final boolean discovers() {
        return true;
    }

    @Override
    public final List<DiscoveredResource> discover(TargetAccess access) {
        AlibabaAccount account;
        try {
            account = account(access);
        } catch (InvalidTargetConfigException e) {
            throw new TargetException(e.getMessage(), false);
        }
        try {
            return list(account);
        } catch (AlibabaApiException e) {
            throw new TargetException(e.getMessage(), e.retryable());
        }
    }

    @Override
    public final void validate(Map<String, String> config) {
        parse(config);
    }

    @Override
    protected final Reach<C, AlibabaAccount> parse(TargetResource resource) {
        return Reach.of(type(), () -> parse(resource.config()), () -> account(resource.access()));
    }

    @Override
    protected final ReadBack read(Reach<C, AlibabaAccount> reach) {
        try {
            return read(reach.credential(), reach.settings());
        } catch (AlibabaApiException e) {
            return ReadBack.unknown(e.getMessage());
        }
    }

    @Override
    protected final DeploymentOutcome install(Reach<C, AlibabaAccount> reach, CertificateBundle bundle, String wanted,
                                              String where) {
        return install(reach.credential(), reach.settings(), bundle, wanted);
    }

    @Override
    protected final DeploymentOutcome restoreOn(Reach<C, AlibabaAccount> reach, PreviousCertificate previous) {
        return restoreOn(reach.credential(), reach.settings(), previous);
    }

    /** A resource's credential, read; a resource without one cannot be reached. */
    private AlibabaAccount account(TargetAccess access) {
        if (access == null) {
            throw new InvalidTargetConfigException(type(), List.of("the resource has no Alibaba Cloud credential"));
        }
        return AlibabaAccount.of(type(), access, properties.customEndpoints());
    }

    /** The resource's setting {@code key} as the host name clients ask for (stripped, lower case), if it is set. */
    protected static Optional<String> hostName(TargetResource resource, String key) {
        String value = resource.config().get(key);
        return value == null || value.isBlank() ? Optional.empty()
                : Optional.of(value.strip().toLowerCase(java.util.Locale.ROOT));
    }

    /** The outcome of a call that failed before anything changed. */
    protected static DeploymentOutcome nothingChanged(AlibabaApiException e, String servedSerial) {
        return e.retryable() ? DeploymentOutcome.unreachable("nothing deployed: " + e.getMessage())
                : DeploymentOutcome.failed(servedSerial, "nothing deployed: " + e.getMessage(), null);
    }

    /**
     * The name certflow gives an upload in the account's store: the serial makes it unique and tells a person (and
     * certflow, on a second try) which version it is.
     */
    protected static String uploadName(String serial) {
        return "certflow-" + serial;
    }

    /** The serial in a name made by {@link #uploadName}, if it is one. */
    protected static Optional<String> serialOfUploadName(String name) {
        if (name == null || !name.startsWith("certflow-") || !name.substring(9).matches("[0-9a-f]{1,40}")) {
            return Optional.empty();
        }
        return Optional.of(name.substring(9));
    }

    /** The cloud's id of a version certflow uploaded with this credential, if it recorded one. */
    protected Optional<String> recordedUpload(AlibabaAccount account, String serial) {
        return ledger.beyondNewest(account.credentialId(), 0).stream()
                .filter(u -> u.serialNumber().equals(serial)).map(CloudCertificateLedger.Upload::cloudCertificateId)
                .findFirst();
    }

    /** The version certflow recorded under this cloud id, if any. */
    protected Optional<String> recordedSerial(AlibabaAccount account, String cloudId) {
        return ledger.beyondNewest(account.credentialId(), 0).stream()
                .filter(u -> u.cloudCertificateId().equals(cloudId)).map(CloudCertificateLedger.Upload::serialNumber)
                .findFirst();
    }

    /**
     * The certificate store's id of a previous version: what certflow recorded for this credential, what the store
     * holds with its serial, or, when its key is known, a new upload of it.
     *
     * @return empty when the store holds it no more and its key is not known
     * @throws AlibabaApiException when the store cannot be asked or refuses the upload
     */
    protected final Optional<String> casIdOf(AlibabaAccount account, CasCertificates store, String serial,
                                             PreviousCertificate previous) {
        Optional<String> known = recordedUpload(account, serial).or(() -> store.findBySerial(account, serial, null));
        if (known.isPresent() || previous.privateKeyPem() == null) {
            return known;
        }
        CertificateBundle bundle = new CertificateBundle(previous.certificateChainPem(), previous.privateKeyPem());
        return Optional.of(ledger.uploadOnce(account.credentialId(), serial, () -> store.upload(account, bundle, serial)));
    }

    /**
     * Deletes certflow's uploads beyond the newest {@code keepCertificates} that no resource of the account uses any
     * more. Says what it did, for the outcome's message; a failure is logged and left for the next rotation.
     *
     * @param users what uses the store's certificates, for log lines ({@code a CDN domain})
     * @param inUse the store's ids of the certificates the account's resources use now
     */
    protected final String sweep(AlibabaAccount account, CasCertificates store, String users, Supplier<Set<String>> inUse) {
        List<CloudCertificateLedger.Upload> candidates = ledger.beyondNewest(account.credentialId(), keepCertificates);
        if (candidates.isEmpty()) {
            return "";
        }
        try {
            Set<String> used = inUse.get();
            List<String> removed = new ArrayList<>();
            for (CloudCertificateLedger.Upload upload : candidates) {
                if (used.contains(upload.cloudCertificateId())) {
                    log.info("CAS certificate {} (version {}) is still used by {}: kept", upload.cloudCertificateId(),
                            upload.serialNumber(), users);
                    continue;
                }
                try {
                    store.delete(account, upload.cloudCertificateId());
                } catch (AlibabaApiException e) {
                    if (!e.notFound()) {
                        log.warn("cannot delete old CAS certificate {}: {}", upload.cloudCertificateId(), e.getMessage());
                        continue;
                    }
                }
                ledger.forget(account.credentialId(), upload.cloudCertificateId());
                removed.add(upload.serialNumber());
            }
            return removed.isEmpty() ? "" : "; removed " + removed.size() + " old certificate(s) from the account's"
                    + " certificate store: " + String.join(", ", removed);
        } catch (AlibabaApiException e) {
            log.warn("old certificates of credential {} not removed this time: {}", account.credentialId(), e.getMessage());
            return "";
        }
    }

    /**
     * @throws InvalidTargetConfigException naming every missing or invalid setting
     */
    protected abstract C parse(Map<String, String> config);

    /** The resources this credential reaches. */
    protected abstract List<DiscoveredResource> list(AlibabaAccount account);

    /** What the resource serves now, as the API tells it. */
    protected abstract ReadBack read(AlibabaAccount account, C config);

    /** Installs, proves, rolls back; never throws for a failure of the cloud. */
    protected abstract DeploymentOutcome install(AlibabaAccount account, C config, CertificateBundle bundle, String wanted);

    /** Puts back a previous certificate. */
    protected abstract DeploymentOutcome restoreOn(AlibabaAccount account, C config, PreviousCertificate previous);
}
