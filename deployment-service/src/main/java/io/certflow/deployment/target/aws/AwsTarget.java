package io.certflow.deployment.target.aws;

import io.certflow.deployment.target.CertificateBundle;
import io.certflow.deployment.target.DeploymentOutcome;
import io.certflow.deployment.target.DeploymentTarget;
import io.certflow.deployment.target.DiscoveredResource;
import io.certflow.deployment.target.InvalidTargetConfigException;
import io.certflow.deployment.target.PreviousCertificate;
import io.certflow.deployment.target.ReadBack;
import io.certflow.deployment.target.TargetAccess;
import io.certflow.deployment.target.TargetException;
import io.certflow.deployment.target.TargetResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the AWS targets share: a stored AWS credential ({@link AwsCredential}) opened into SDK clients for one call and
 * closed after it, the resource's settings parsed the same way for registering, reading back, deploying and restoring,
 * and every SDK failure turned into an answer: retryable ({@link DeploymentOutcome#unreachable}) when AWS was
 * unreachable, throttled or busy, FAILED with AWS's error code and message when it refused.
 *
 * @param <C> the parsed settings of one resource
 */
public abstract class AwsTarget<C> implements DeploymentTarget {

    private static final Logger log = LoggerFactory.getLogger(AwsTarget.class);

    private final String type;
    private final String displayName;
    protected final AwsTargetProperties properties;
    protected final AcmCertificates acm;

    protected AwsTarget(String type, String displayName, AwsTargetProperties properties, AcmCertificates acm) {
        this.type = type;
        this.displayName = displayName;
        this.properties = properties;
        this.acm = acm;
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
        AwsCredential.parse(type, access, properties.customEndpoints());
    }

    @Override
    public boolean discovers() {
        return true;
    }

    @Override
    public final List<DiscoveredResource> discover(TargetAccess access) {
        AwsCredential credential;
        try {
            credential = credential(access);
        } catch (InvalidTargetConfigException e) {
            throw new TargetException(e.getMessage(), false);
        }
        try (AwsClients clients = clients(credential)) {
            return list(clients);
        } catch (SdkException e) {
            AwsFailure failure = AwsFailure.of(displayName, e);
            throw new TargetException(failure.describe(), failure.retryable());
        }
    }

    @Override
    public final void validate(Map<String, String> config) {
        parse(config);
    }

    @Override
    public final ReadBack readBack(TargetResource resource) {
        try {
            C config = parse(resource.config());
            try (AwsClients clients = clients(credential(resource.access()))) {
                return read(clients, config);
            }
        } catch (InvalidTargetConfigException | TargetException e) {
            return ReadBack.unknown(e.getMessage());
        } catch (SdkException e) {
            return ReadBack.unknown(AwsFailure.of(displayName, e).describe());
        }
    }

    @Override
    public final DeploymentOutcome deploy(TargetResource resource, CertificateBundle bundle) {
        C config;
        AwsCredential credential;
        try {
            config = parse(resource.config());
            credential = credential(resource.access());
        } catch (InvalidTargetConfigException | TargetException e) {
            return DeploymentOutcome.failed(null, e.getMessage(), null);
        }
        Optional<String> unusable = bundle.unusableReason();
        if (unusable.isPresent()) {
            return DeploymentOutcome.failed(null, "nothing deployed: " + unusable.get(), null);
        }
        String wanted = bundle.leafSerialNumber();
        log.info("deploying certificate {} to {} resource {} ({})", wanted, type, resource.name(), resource.id());
        try (AwsClients clients = clients(credential)) {
            return install(clients, config, bundle, wanted);
        } catch (SdkException e) {
            return outcome(AwsFailure.of(displayName, e), "nothing deployed");
        }
    }

    @Override
    public final DeploymentOutcome restore(TargetResource resource, PreviousCertificate previous) {
        C config;
        AwsCredential credential;
        try {
            config = parse(resource.config());
            credential = credential(resource.access());
        } catch (InvalidTargetConfigException | TargetException e) {
            return DeploymentOutcome.failed(null, e.getMessage(), null);
        }
        Optional<Map<String, String>> reference = PreviousAwsCertificate.reference(previous);
        if (reference.isEmpty()) {
            return DeploymentOutcome.failed(null, "nothing restored: the previous certificate names no "
                    + displayName + " setting to put back", null);
        }
        try (AwsClients clients = clients(credential)) {
            return restoreOn(clients, config, reference.get());
        } catch (SdkException e) {
            return outcome(AwsFailure.of(displayName, e), "nothing restored");
        }
    }

    /**
     * The settings of one resource.
     *
     * @throws InvalidTargetConfigException naming every missing or invalid setting
     */
    protected abstract C parse(Map<String, String> config);

    /** The resources the credential reaches. */
    protected abstract List<DiscoveredResource> list(AwsClients clients);

    /** What the resource uses now. */
    protected abstract ReadBack read(AwsClients clients, C config);

    /** Installs, proves, and puts the previous certificate back if the resource does not use the new one. */
    protected abstract DeploymentOutcome install(AwsClients clients, C config, CertificateBundle bundle, String wanted);

    /** Puts back what {@link #install} recorded in its {@link PreviousCertificate}. */
    protected abstract DeploymentOutcome restoreOn(AwsClients clients, C config, Map<String, String> reference);

    /** A failed call as an outcome: retryable ("unreachable") or a refusal, with what was (not) done. */
    protected static DeploymentOutcome outcome(AwsFailure failure, String what) {
        String message = what + ": " + failure.describe();
        return failure.retryable() ? DeploymentOutcome.unreachable(message) : DeploymentOutcome.failed(null, message, null);
    }

    private AwsCredential credential(TargetAccess access) {
        return AwsCredential.parse(type, access, properties.customEndpoints());
    }

    private AwsClients clients(AwsCredential credential) {
        return new AwsClients(credential, properties.timeout(), properties.maxAttempts());
    }
}
