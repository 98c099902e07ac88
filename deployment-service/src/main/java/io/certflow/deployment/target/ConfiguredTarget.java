package io.certflow.deployment.target;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;

/**
 * The part every target that reads its settings from the resource shares: settings are parsed (and so
 * validated) the same way for registering, reading back, deploying and restoring; a resource whose
 * settings do not parse, or a bundle that cannot be used, fails before the technology is touched. A
 * subclass says how to parse, read back, install and restore for its technology.
 *
 * @param <C> the parsed settings of one resource
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
    public final void validate(Map<String, String> config) {
        parse(config);
    }

    @Override
    public final ReadBack readBack(TargetResource resource) {
        C config;
        try {
            config = parse(resource.config());
        } catch (InvalidTargetConfigException e) {
            return ReadBack.unknown(e.getMessage());
        }
        return read(config);
    }

    @Override
    public final DeploymentOutcome deploy(TargetResource resource, CertificateBundle bundle) {
        C config;
        try {
            config = parse(resource.config());
        } catch (InvalidTargetConfigException e) {
            return DeploymentOutcome.failed(null, e.getMessage(), null);
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
            config = parse(resource.config());
        } catch (InvalidTargetConfigException e) {
            return DeploymentOutcome.failed(null, e.getMessage(), null);
        }
        return restoreOn(config, previous);
    }

    /**
     * The settings of one resource.
     *
     * @throws InvalidTargetConfigException naming every missing or invalid setting
     */
    protected abstract C parse(Map<String, String> config);

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
