package io.certflow.deployment.target.alibaba;

import io.certflow.deployment.target.CertificateBundle;
import io.certflow.deployment.target.CloudCertificateLedger;
import io.certflow.deployment.target.DeploymentOutcome;
import io.certflow.deployment.target.PreviousCertificate;
import io.certflow.deployment.target.ReadBack;
import io.certflow.deployment.target.ReadBackCheck;
import io.certflow.deployment.target.ServedCertificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.Set;

/**
 * A resource that names a certificate of the account's Certificate Management Service (CAS) instead of holding one:
 * an ALB listener, an OSS custom domain, a WAF domain. The version is uploaded to CAS once per credential
 * ({@code UploadUserCertificate}) and the resource is pointed at it; the resource's own view of which CAS certificate it
 * uses, and CAS's {@code GetUserCertificateDetail} of that certificate (its serial), are the proof. If the resource
 * does not use the new version, the certificate it used before is set back (or, where it had none, it is left
 * without one again). After a successful rotation, certflow's uploads beyond the newest few that no resource of the
 * account uses are deleted from CAS.
 *
 * <p>A subclass says how its product tells, changes and removes a resource's certificate, and which certificates the
 * account's resources use.
 *
 * @param <C> the parsed settings of one resource
 */
public abstract class CasBoundTarget<C extends CasBoundTarget.Described> extends AlibabaTarget<C> {

    private static final Logger log = LoggerFactory.getLogger(CasBoundTarget.class);

    /**
     * The certificate a resource names now.
     *
     * @param casId   the CAS certificate id, or null when the resource names none
     * @param label   the product's name for it ({@code 123-cn-hangzhou}), for messages; null with {@code casId}
     * @param pending why it is not in effect yet ({@code Associating}), or null when it is
     */
    protected record Bound(String casId, String label, String pending) {

        /** The resource names no certificate. */
        static Bound none() {
            return new Bound(null, null, null);
        }

        String describe() {
            return label == null ? "no certificate" : "certificate " + label;
        }
    }

    /** A resource's settings that name the resource for messages ({@code ALB listener lsn-1}). */
    public interface Described {
        String describe();
    }

    protected final CasCertificates store;
    private final String bindAction;
    private final String users;

    /**
     * @param bindAction the action {@link #bind} calls, for messages ({@code UpdateListenerAttribute})
     * @param users      what kind of resource uses CAS certificates, for log lines ({@code an ALB listener})
     */
    protected CasBoundTarget(String type, String displayName, String bindAction, String users, AlibabaClients clients,
                             AlibabaProperties properties, CloudCertificateLedger ledger, int keepCertificates) {
        super(type, displayName, clients, properties, ledger, keepCertificates);
        this.store = new CasCertificates(clients);
        this.bindAction = bindAction;
        this.users = users;
    }

    /** The action {@link #bind} calls, for messages. */
    protected final String bindAction() {
        return bindAction;
    }

    /** The certificate the resource names now. */
    protected abstract Bound bound(AlibabaAccount account, C config);

    /** Points the resource at CAS certificate {@code casId}. */
    protected abstract void bind(AlibabaAccount account, C config, String casId);

    /**
     * Leaves the resource without a certificate, as it was before certflow's first deployment.
     *
     * @throws AlibabaApiException (not retryable) where the product cannot do that
     */
    protected abstract void unbind(AlibabaAccount account, C config);

    /** The CAS ids of the certificates the account's resources of this type use now. */
    protected abstract Set<String> casIdsInUse(AlibabaAccount account);

    /** CAS's id in a product's {@code <CertId>-<region>} form, or null when it is not one. */
    static String casIdIn(String productId) {
        if (productId == null) {
            return null;
        }
        int dash = productId.indexOf('-');
        String id = dash < 0 ? productId : productId.substring(0, dash);
        return id.matches("[0-9]+") ? id : null;
    }

    /** A CAS certificate id in the {@code <CertId>-<region>} form ALB, OSS and WAF name it with. */
    static String regionalId(AlibabaAccount account, String casId) {
        return casId + "-" + account.certificateRegion();
    }

    // ---- read back

    @Override
    protected ReadBack read(AlibabaAccount account, C config) {
        try {
            Bound current = bound(account, config);
            if (current.casId() == null) {
                return ReadBack.unknown(config.describe() + (current.label() == null ? " has no certificate"
                        : " uses certificate " + current.label() + ", which is not one of the Certificate Management Service"));
            }
            if (current.pending() != null) {
                return ReadBack.unknown(config.describe() + " certificate " + current.label() + " is " + current.pending()
                        + ", not yet in effect");
            }
            Optional<ServedCertificate> served = store.describe(account, current.casId());
            return served.map(ReadBack::of).orElseGet(() -> ReadBack.unknown(config.describe() + " uses certificate "
                    + current.label() + ", which the Certificate Management Service does not describe"));
        } catch (AlibabaApiException e) {
            return ReadBack.unknown(e.getMessage());
        }
    }

    // ---- deploy

    @Override
    protected DeploymentOutcome install(AlibabaAccount account, C config, CertificateBundle bundle, String wanted) {
        Bound before;
        try {
            before = bound(account, config);
        } catch (AlibabaApiException e) {
            return e.notFound() ? DeploymentOutcome.failed(null, "nothing deployed: " + config.describe()
                    + " no longer exists (" + e.getMessage() + ")", null) : nothingChanged(e, null);
        }
        String beforeSerial = before.casId() == null ? null : read(account, config).serialNumber().orElse(null);
        String casId;
        try {
            casId = ledger.uploadOnce(account.credentialId(), wanted, () -> store.upload(account, bundle, wanted));
        } catch (AlibabaApiException e) {
            return nothingChanged(e, beforeSerial);
        }
        try {
            bind(account, config, casId);
        } catch (AlibabaApiException e) {
            if (e.retryable()) {
                return DeploymentOutcome.unreachable(config.describe() + " keeps " + before.describe() + ": " + e.getMessage());
            }
            return rollBack(account, config, before, beforeSerial, false, bindAction() + " failed: " + e.getMessage());
        }
        ReadBack served = readBackCheck.awaitServing(() -> read(account, config), wanted);
        if (!ReadBackCheck.serves(served, wanted)) {
            log.warn("{} does not use certificate {} after the change ({}); setting back {}", config.describe(), wanted,
                    served.describe(), before.describe());
            return rollBack(account, config, before, beforeSerial, true, "after " + bindAction() + " " + config.describe()
                    + " " + served.describe() + " instead of " + wanted);
        }
        log.info("{} uses certificate {} (CAS certificate {})", config.describe(), wanted, casId);
        String swept = sweep(account, store, users, () -> casIdsInUse(account));
        return DeploymentOutcome.succeeded(wanted, config.describe() + " uses certificate " + wanted + " ("
                + regionalId(account, casId) + ", replaced " + before.describe() + ")" + swept, null);
    }

    /**
     * Points the resource at {@code before} again and proves it. When {@code changed} is false the failed call changed
     * nothing as far as Alibaba said, so a resource that still names {@code before} is enough.
     */
    private DeploymentOutcome rollBack(AlibabaAccount account, C config, Bound before, String beforeSerial,
                                       boolean changed, String reason) {
        String what = before.describe() + (beforeSerial == null ? "" : " (" + beforeSerial + ")");
        try {
            if (!changed && java.util.Objects.equals(before.casId(), bound(account, config).casId())) {
                return DeploymentOutcome.rolledBack(beforeSerial, reason + "; " + config.describe() + " keeps " + what);
            }
            if (before.casId() == null && before.label() != null) {
                return DeploymentOutcome.failed(null, reason + "; " + what + " is not in the Certificate Management Service:"
                        + " it cannot be set back", null);
            } else if (before.casId() == null) {
                unbind(account, config);
            } else {
                bind(account, config, before.casId());
            }
        } catch (AlibabaApiException e) {
            return DeploymentOutcome.failed(null, reason + "; setting back " + what + " FAILED: " + e.getMessage(), null);
        }
        if (beforeSerial != null) {
            ReadBack now = readBackCheck.awaitServing(() -> read(account, config), beforeSerial);
            return ReadBackCheck.serves(now, beforeSerial)
                    ? DeploymentOutcome.rolledBack(beforeSerial, reason + "; " + what + " set back on " + config.describe())
                    : DeploymentOutcome.failed(now.serialNumber().orElse(null), reason + "; " + what + " was set back but "
                    + config.describe() + " " + now.describe(), null);
        }
        Bound now = bound(account, config);
        return java.util.Objects.equals(before.casId(), now.casId())
                ? DeploymentOutcome.rolledBack(null, reason + "; " + what + " set back on " + config.describe())
                : DeploymentOutcome.failed(null, reason + "; " + what + " was set back but " + config.describe()
                + " uses " + now.describe(), null);
    }

    // ---- restore

    @Override
    protected DeploymentOutcome restoreOn(AlibabaAccount account, C config, PreviousCertificate previous) {
        if (!previous.present()) {
            try {
                unbind(account, config);
                return DeploymentOutcome.succeeded(null, "there was no certificate before: " + config.describe()
                        + " has none again", null);
            } catch (AlibabaApiException e) {
                return DeploymentOutcome.failed(null, "nothing restored: " + e.getMessage(), null);
            }
        }
        Optional<String> serial = previous.serialNumber();
        if (serial.isEmpty()) {
            return DeploymentOutcome.failed(null, "nothing restored: the previous certificate cannot be read", null);
        }
        try {
            Optional<String> casId = casIdOf(account, store, serial.get(), previous);
            if (casId.isEmpty()) {
                return DeploymentOutcome.failed(null, "previous certificate " + serial.get() + " is not in the account's"
                        + " certificate store (CAS) and its key is not known", null);
            }
            bind(account, config, casId.get());
        } catch (AlibabaApiException e) {
            return e.retryable() ? DeploymentOutcome.unreachable("previous certificate not restored: " + e.getMessage())
                    : DeploymentOutcome.failed(null, "previous certificate not restored: " + e.getMessage(), null);
        }
        ReadBack now = readBackCheck.awaitServing(() -> read(account, config), serial.get());
        return ReadBackCheck.serves(now, serial.get())
                ? DeploymentOutcome.succeeded(serial.get(), config.describe() + " uses previous certificate "
                + serial.get() + " again", null)
                : DeploymentOutcome.failed(now.serialNumber().orElse(null), "previous certificate " + serial.get()
                + " was set but " + config.describe() + " " + now.describe(), null);
    }
}
