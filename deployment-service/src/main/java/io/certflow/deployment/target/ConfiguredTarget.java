package io.certflow.deployment.target;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * The prologue every target shares: a resource is parsed (its settings and, for a type that needs one, its
 * credential, read together so every problem is named at once) the same way for reading back, deploying and
 * restoring; a resource that does not parse, or a bundle that cannot be used, fails with a reason before the
 * technology is touched, and a deployment is logged once. A subclass says how to parse, read back, install and
 * restore for its technology; {@link #validate} (the settings alone, when a resource is registered) stays its own.
 *
 * @param <C> what one call on a resource needs: its parsed settings, and its credential where it has one
 */
public abstract class ConfiguredTarget<C> implements DeploymentTarget {

    private static final Logger log = LoggerFactory.getLogger(ConfiguredTarget.class);

    private final String type;

    protected ConfiguredTarget(String type) {
        this.type = type;
    }

    @Override
    public final String type() {
        return type;
    }

    @Override
    public final ReadBack readBack(TargetResource resource) {
        C config;
        try {
            config = parse(resource);
        } catch (InvalidTargetConfigException e) {
            return ReadBack.unknown(e.getMessage());
        }
        try {
            return read(config);
        } catch (RuntimeException e) {
            log.warn("reading back {} failed unexpectedly: {}", describe(resource), e.getClass().getSimpleName());
            return ReadBack.unknown("unexpected failure: " + e.getClass().getSimpleName());
        }
    }

    @Override
    public final DeploymentOutcome deploy(TargetResource resource, CertificateBundle bundle) {
        C config;
        try {
            config = parse(resource);
        } catch (InvalidTargetConfigException e) {
            return DeploymentOutcome.failed(null, "nothing deployed: " + e.getMessage(), null);
        }
        Optional<String> unusable = bundle.unusableReason();
        if (unusable.isPresent()) {
            return DeploymentOutcome.failed(null, "nothing deployed: " + unusable.get(), null);
        }
        String wanted = bundle.leafSerialNumber();
        String where = describe(resource);
        log.info("deploying certificate {} to {}", wanted, where);
        return install(config, bundle, wanted, where);
    }

    @Override
    public final DeploymentOutcome restore(TargetResource resource, PreviousCertificate previous) {
        C config;
        try {
            config = parse(resource);
        } catch (InvalidTargetConfigException e) {
            return DeploymentOutcome.failed(null, "nothing restored: " + e.getMessage(), null);
        }
        return restoreOn(config, previous);
    }

    /**
     * What a call on one resource needs: its settings and, where its type needs one, its credential
     * ({@link TargetResource#access()}, null when the resource has none).
     *
     * @throws InvalidTargetConfigException naming every missing or invalid setting, and a missing or unusable
     *                                      credential (never a secret's value)
     */
    protected abstract C parse(TargetResource resource);

    /** What the resource serves now; never throws. */
    protected abstract ReadBack read(C config);

    /**
     * Installs a usable bundle, reads back, and restores the previous certificate when the resource does
     * not serve the new one.
     *
     * @param wanted the bundle's leaf serial
     * @param where  the resource, for log lines
     */
    protected abstract DeploymentOutcome install(C config, CertificateBundle bundle, String wanted, String where);

    /** Puts back what {@link #install} replaced and reads back. */
    protected abstract DeploymentOutcome restoreOn(C config, PreviousCertificate previous);

    private String describe(TargetResource resource) {
        return type + " resource " + (resource.name() == null ? resource.id() : resource.name() + " (" + resource.id() + ")");
    }
}
