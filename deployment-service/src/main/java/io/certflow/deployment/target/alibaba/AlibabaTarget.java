package io.certflow.deployment.target.alibaba;

import io.certflow.deployment.target.CertificateBundle;
import io.certflow.deployment.target.CloudCertificateLedger;
import io.certflow.deployment.target.DeploymentOutcome;
import io.certflow.deployment.target.DeploymentTarget;
import io.certflow.deployment.target.DiscoveredResource;
import io.certflow.deployment.target.InvalidTargetConfigException;
import io.certflow.deployment.target.PreviousCertificate;
import io.certflow.deployment.target.ReadBack;
import io.certflow.deployment.target.ReadBackCheck;
import io.certflow.deployment.target.TargetAccess;
import io.certflow.deployment.target.TargetException;
import io.certflow.deployment.target.TargetResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What every Alibaba Cloud target shares: the credential (an AccessKey pair and a region, read by
 * {@link AlibabaAccount}), the SDK clients, the ledger of what was uploaded to the account's certificate store, and the
 * checks that come before the cloud is touched (settings parse, a credential is there, the bundle is usable). A
 * subclass says how one kind of resource is read, changed and put back.
 *
 * @param <C> the parsed settings of one resource
 */
public abstract class AlibabaTarget<C> implements DeploymentTarget {

    private static final Logger log = LoggerFactory.getLogger(AlibabaTarget.class);

    private final String type;
    private final String displayName;
    protected final AlibabaClients clients;
    protected final AlibabaProperties properties;
    protected final CloudCertificateLedger ledger;
    protected final int keepCertificates;
    protected final ReadBackCheck readBackCheck;

    protected AlibabaTarget(String type, String displayName, AlibabaClients clients, AlibabaProperties properties,
                            CloudCertificateLedger ledger, int keepCertificates) {
        if (keepCertificates < 1) {
            throw new IllegalArgumentException("keepCertificates must be at least 1");
        }
        this.type = type;
        this.displayName = displayName;
        this.clients = clients;
        this.properties = properties;
        this.ledger = ledger;
        this.keepCertificates = keepCertificates;
        this.readBackCheck = new ReadBackCheck(properties.readBackWindow(), properties.readBackInterval());
    }

    @Override
    public final String type() {
        return type;
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
        AlibabaAccount.of(type, access, properties.customEndpoints());
    }

    @Override
    public final boolean discovers() {
        return true;
    }

    @Override
    public final List<DiscoveredResource> discover(TargetAccess access) {
        AlibabaAccount account;
        try {
            account = AlibabaAccount.of(type, access, properties.customEndpoints());
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
    public final ReadBack readBack(TargetResource resource) {
        try {
            AlibabaAccount account = account(resource);
            return read(account, parse(resource.config()));
        } catch (InvalidTargetConfigException e) {
            return ReadBack.unknown(e.getMessage());
        } catch (AlibabaApiException e) {
            return ReadBack.unknown(e.getMessage());
        } catch (RuntimeException e) {
            log.warn("reading back {} resource {} failed unexpectedly: {}", type, resource.id(), e.getClass().getSimpleName());
            return ReadBack.unknown("unexpected failure: " + e.getClass().getSimpleName());
        }
    }

    @Override
    public final DeploymentOutcome deploy(TargetResource resource, CertificateBundle bundle) {
        C config;
        AlibabaAccount account;
        try {
            config = parse(resource.config());
            account = account(resource);
        } catch (InvalidTargetConfigException e) {
            return DeploymentOutcome.failed(null, "nothing deployed: " + e.getMessage(), null);
        }
        Optional<String> unusable = bundle.unusableReason();
        if (unusable.isPresent()) {
            return DeploymentOutcome.failed(null, "nothing deployed: " + unusable.get(), null);
        }
        String wanted = bundle.leafSerialNumber();
        log.info("deploying certificate {} to {} resource {} ({})", wanted, type, resource.name(), resource.id());
        return install(account, config, bundle, wanted);
    }

    @Override
    public final DeploymentOutcome restore(TargetResource resource, PreviousCertificate previous) {
        try {
            return restoreOn(account(resource), parse(resource.config()), previous);
        } catch (InvalidTargetConfigException e) {
            return DeploymentOutcome.failed(null, e.getMessage(), null);
        }
    }

    /** The resource's credential, read; a resource without one cannot be reached. */
    protected final AlibabaAccount account(TargetResource resource) {
        if (resource.access() == null) {
            throw new InvalidTargetConfigException(type, List.of("the resource has no Alibaba Cloud credential"));
        }
        return AlibabaAccount.of(type, resource.access(), properties.customEndpoints());
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
