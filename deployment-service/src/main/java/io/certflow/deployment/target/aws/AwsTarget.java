package io.certflow.deployment.target.aws;

import io.certflow.deployment.target.CertificateBundle;
import io.certflow.deployment.target.DeploymentOutcome;
import io.certflow.deployment.target.ConfiguredTarget;
import io.certflow.deployment.target.CredentialField;
import io.certflow.deployment.target.DiscoveredResource;
import io.certflow.deployment.target.InvalidTargetConfigException;
import io.certflow.deployment.target.PreviousCertificate;
import io.certflow.deployment.target.ReadBack;
import io.certflow.deployment.target.Reach;
import io.certflow.deployment.target.TargetAccess;
import io.certflow.deployment.target.TargetException;
import io.certflow.deployment.target.TargetResource;
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
public abstract class AwsTarget<C> extends ConfiguredTarget<Reach<C, AwsCredential>> {

    private final String displayName;
    protected final AwsTargetProperties properties;
    protected final AcmCertificates acm;

    protected AwsTarget(String type, String displayName, AwsTargetProperties properties, AcmCertificates acm) {
        super(type);
        this.displayName = displayName;
        this.properties = properties;
        this.acm = acm;
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
        AwsCredential.parse(type(), access, properties.customEndpoints());
    }

    @Override
    public final List<CredentialField> credentialFields() {
        return properties.customEndpoints() ? AwsCredential.FIELDS : CredentialField.without(AwsCredential.FIELDS, "endpoint");
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
    protected final Reach<C, AwsCredential> parse(TargetResource resource) {
        return Reach.of(type(), () -> parse(resource.config()), () -> credential(resource.access()));
    }

    @Override
    protected final ReadBack read(Reach<C, AwsCredential> reach) {
        try (AwsClients clients = clients(reach.credential())) {
            return read(clients, reach.settings());
        } catch (TargetException e) {
            return ReadBack.unknown(e.getMessage());
        } catch (SdkException e) {
            return ReadBack.unknown(AwsFailure.of(displayName, e).describe());
        }
    }

    @Override
    protected final DeploymentOutcome install(Reach<C, AwsCredential> reach, CertificateBundle bundle, String wanted,
                                              String where) {
        try (AwsClients clients = clients(reach.credential())) {
            return install(clients, reach.settings(), bundle, wanted);
        } catch (SdkException e) {
            return outcome(AwsFailure.of(displayName, e), "nothing deployed");
        }
    }

    @Override
    protected final DeploymentOutcome restoreOn(Reach<C, AwsCredential> reach, PreviousCertificate previous) {
        Optional<Map<String, String>> reference = PreviousAwsCertificate.reference(previous);
        if (reference.isEmpty()) {
            return DeploymentOutcome.failed(null, "nothing restored: the previous certificate names no "
                    + displayName + " setting to put back", null);
        }
        try (AwsClients clients = clients(reach.credential())) {
            return restoreOn(clients, reach.settings(), reference.get());
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
        return AwsCredential.parse(type(), access, properties.customEndpoints());
    }

    private AwsClients clients(AwsCredential credential) {
        return new AwsClients(credential, properties.timeout(), properties.maxAttempts());
    }
}
