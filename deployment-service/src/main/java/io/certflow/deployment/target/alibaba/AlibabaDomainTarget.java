package io.certflow.deployment.target.alibaba;

import io.certflow.deployment.target.CertificateBundle;
import io.certflow.deployment.target.CloudCertificateLedger;
import io.certflow.deployment.target.DeploymentOutcome;
import io.certflow.deployment.target.DiscoveredResource;
import io.certflow.deployment.target.PemCertificates;
import io.certflow.deployment.target.PreviousCertificate;
import io.certflow.deployment.target.ReadBack;
import io.certflow.deployment.target.ReadBackCheck;
import io.certflow.deployment.target.ServedCertificate;
import io.certflow.deployment.target.TargetResource;
import io.certflow.deployment.target.TargetSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Deploys to an accelerated domain of Alibaba Cloud's CDN or DCDN (the two products share their certificate model).
 * The certificate goes once per credential into the Certificate Management Service (CAS, {@code UploadUserCertificate})
 * and each domain of the account is pointed at it ({@code CertType=cas}), so one upload serves all domains; the
 * product's own view of the domain's certificate (its PEM, with the new serial) is the proof. If the domain does not
 * show the new certificate, its previous one is set back. After a successful rotation, certflow's uploads beyond the
 * newest few that no domain of the account uses any more are deleted from CAS.
 *
 * <p>A TLS handshake with the edge would be the better proof, but the edge is on the internet and the domain's DNS may
 * not point at it yet; the API's own view of the domain is the proof here. A subclass says how its product lists
 * domains, describes a domain's certificate and changes it.
 */
public abstract class AlibabaDomainTarget extends AlibabaTarget<AlibabaDomainTarget.Domain> {

    /** The resource setting: the accelerated domain. */
    public static final String DOMAIN_NAME = "domainName";

    private static final Logger log = LoggerFactory.getLogger(AlibabaDomainTarget.class);
    private static final int MAX_PAGES = 1000;

    /**
     * One resource's settings.
     *
     * @param domainName the accelerated domain as the product names it (a wildcard domain starts with {@code .} or
     *                   {@code *.})
     */
    public record Domain(String domainName) {
    }

    /**
     * One domain as the product lists it.
     *
     * @param name  the domain
     * @param https whether HTTPS is on
     */
    protected record Listed(String name, boolean https) {
    }

    /**
     * One page of the product's domain list.
     *
     * @param domains the page
     * @param total   how many the account has
     */
    protected record ListedPage(List<Listed> domains, long total) {
    }

    /** A change of a domain's HTTPS certificate. */
    protected sealed interface SslChange {
        /** HTTPS off. */
        record Off() implements SslChange {
        }

        /** The CAS certificate {@code id} (named {@code name}, may be null) in CAS region {@code region}. */
        record Cas(long id, String name, String region) implements SslChange {
        }

        /** Alibaba's own free certificate (CDN only). */
        record Free() implements SslChange {
        }
    }

    /**
     * What a domain has for HTTPS now.
     *
     * @param https    whether HTTPS is on
     * @param certType {@code cas}, {@code upload} or {@code free}, or null
     * @param certId   the CAS certificate id, or null
     * @param certName the certificate's name
     * @param pem      the certificate the product serves (PEM), or null
     * @param served   the facts of that certificate, or null
     */
    protected record DomainCertificate(boolean https, String certType, String certId, String certName, String pem,
                                       ServedCertificate served) {

        /** Reads the product's answer; {@code pem} is ignored when HTTPS is off. */
        static DomainCertificate of(boolean https, String certType, String certId, String certName, String pem) {
            ServedCertificate served = null;
            if (https && pem != null && pem.contains("-----BEGIN CERTIFICATE-----")) {
                try {
                    served = ServedCertificate.of(PemCertificates.parseChain(pem).get(0));
                } catch (IllegalArgumentException e) {
                    log.warn("a domain shows a certificate that cannot be read: {}", e.getMessage());
                }
            }
            return new DomainCertificate(https, certType, certId == null || certId.isBlank() ? null : certId, certName,
                    https ? pem : null, served);
        }

        static DomainCertificate off() {
            return new DomainCertificate(false, null, null, null, null, null);
        }

        String serial() {
            return served == null ? null : served.serialNumber();
        }

        String describe() {
            return !https ? "HTTPS off" : served == null ? "an unreadable certificate" : "certificate " + served.serialNumber();
        }
    }

    private final String product;
    private final CasCertificates store;

    /**
     * @param product the product as messages name it ({@code CDN}, {@code DCDN})
     */
    protected AlibabaDomainTarget(String type, String displayName, String product, AlibabaClients clients,
                                  AlibabaProperties properties, CloudCertificateLedger ledger, int keepCertificates) {
        super(type, displayName, clients, properties, ledger, keepCertificates);
        this.product = product;
        this.store = new CasCertificates(clients);
    }

    /** One page of the account's domains. */
    protected abstract ListedPage listDomains(AlibabaAccount account, int page, int size);

    /** The domain's HTTPS certificate now. */
    protected abstract DomainCertificate describe(AlibabaAccount account, String domain);

    /** Changes the domain's HTTPS certificate. */
    protected abstract void set(AlibabaAccount account, String domain, SslChange change);

    @Override
    public List<String> domains(TargetResource resource) {
        if (!resource.domains().isEmpty()) {
            return resource.domains();
        }
        String domain = resource.config().get(DOMAIN_NAME);
        return domain == null || domain.isBlank() ? List.of() : List.of(hostName(domain.strip()));
    }

    @Override
    public Optional<String> serverName(TargetResource resource) {
        String domain = resource.config().get(DOMAIN_NAME);
        return domain == null || domain.isBlank() ? Optional.empty() : Optional.of(hostName(domain.strip()));
    }

    @Override
    protected Domain parse(Map<String, String> config) {
        TargetSettings settings = new TargetSettings(config, Set.of(DOMAIN_NAME));
        String domain = settings.value(DOMAIN_NAME);
        if (domain == null) {
            settings.problem("'" + DOMAIN_NAME + "' is required (the accelerated domain, e.g. cdn.example.com)");
        } else if (!validDomain(domain)) {
            settings.problem("'" + DOMAIN_NAME + "' is not a domain name");
        }
        settings.check(type());
        return new Domain(domain.toLowerCase(java.util.Locale.ROOT));
    }

    /** {@code .example.com} (the wildcard form of CDN and DCDN) as the host name a certificate must cover: {@code *.example.com}. */
    static String hostName(String cdnDomain) {
        String d = cdnDomain.toLowerCase(java.util.Locale.ROOT);
        return d.startsWith(".") ? "*" + d : d;
    }

    private static boolean validDomain(String domain) {
        String d = domain.startsWith("*.") ? domain.substring(2) : domain.startsWith(".") ? domain.substring(1) : domain;
        return d.contains(".") && d.length() <= 253
                && d.matches("(?i)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?\\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    }

    // ---- discovery

    @Override
    protected List<DiscoveredResource> list(AlibabaAccount account) {
        List<DiscoveredResource> found = new ArrayList<>();
        for (Listed domain : userDomains(account)) {
            found.add(new DiscoveredResource(domain.name(), domain.name(), List.of(hostName(domain.name())),
                    Map.of(DOMAIN_NAME, domain.name())));
        }
        return found;
    }

    private List<Listed> userDomains(AlibabaAccount account) {
        List<Listed> all = new ArrayList<>();
        for (int page = 1; page <= MAX_PAGES; page++) {
            ListedPage listed = listDomains(account, page, properties.pageSize());
            listed.domains().stream().filter(d -> d.name() != null && !d.name().isBlank()).forEach(all::add);
            if (listed.domains().isEmpty() || (long) page * properties.pageSize() >= listed.total()) {
                break;
            }
        }
        return all;
    }

    // ---- read back

    @Override
    protected ReadBack read(AlibabaAccount account, Domain config) {
        try {
            DomainCertificate now = describe(account, config.domainName());
            if (!now.https()) {
                return ReadBack.unknown("HTTPS is off on " + product + " domain " + config.domainName());
            }
            return now.served() == null ? ReadBack.unknown(product + " does not show the certificate of " + config.domainName())
                    : ReadBack.of(now.served());
        } catch (AlibabaApiException e) {
            return ReadBack.unknown(e.getMessage());
        }
    }

    // ---- deploy

    @Override
    protected DeploymentOutcome install(AlibabaAccount account, Domain config, CertificateBundle bundle, String wanted) {
        String domain = config.domainName();
        DomainCertificate before;
        try {
            before = describe(account, domain);
        } catch (AlibabaApiException e) {
            return nothingChanged(e, null);
        }
        PreviousCertificate previous = before.pem() == null ? PreviousCertificate.none()
                : new PreviousCertificate(before.pem(), null);
        String certId;
        try {
            certId = ledger.uploadOnce(account.credentialId(), wanted, () -> store.upload(account, bundle, wanted));
        } catch (AlibabaApiException e) {
            return nothingChanged(e, before.serial());
        }
        try {
            setCas(account, domain, certId, uploadName(wanted));
        } catch (AlibabaApiException e) {
            if (e.retryable()) {
                return DeploymentOutcome.unreachable(product + " domain " + domain + " keeps " + before.describe() + ": "
                        + e.getMessage());
            }
            return rollBack(account, domain, before, previous, false, setAction() + " failed: " + e.getMessage());
        }
        ReadBack served = readBackCheck.awaitServing(() -> read(account, config), wanted);
        if (!ReadBackCheck.serves(served, wanted)) {
            log.warn(product + " domain {} does not show certificate {} after the change ({}); setting back {}", domain, wanted,
                    served.describe(), before.describe());
            return rollBack(account, domain, before, previous, true, "after " + setAction() + " " + product + " domain "
                    + domain + " " + served.describe() + " instead of " + wanted);
        }
        log.info(product + " domain {} serves certificate {} (CAS certificate {})", domain, wanted, certId);
        String swept = sweep(account);
        return DeploymentOutcome.succeeded(wanted, product + " domain " + domain + " serves certificate " + wanted
                + " (CAS certificate " + certId + ", expires " + served.served().notAfter() + ")" + swept, previous);
    }

    private void setCas(AlibabaAccount account, String domain, String certId, String certName) {
        long id;
        try {
            id = Long.parseLong(certId);
        } catch (NumberFormatException e) {
            throw new AlibabaApiException("'" + certId + "' is not a CAS certificate id", setAction(), null, false);
        }
        set(account, domain, new SslChange.Cas(id, certName, account.certificateRegion()));
    }

    /** The product's action that changes a domain's certificate, for messages. */
    protected abstract String setAction();

    /**
     * Puts {@code before} back on the domain and proves it. When {@code changed} is false the failed call changed
     * nothing as far as Alibaba said, so a read-back that shows {@code before} is enough.
     */
    private DeploymentOutcome rollBack(AlibabaAccount account, String domain, DomainCertificate before,
                                       PreviousCertificate previous, boolean changed, String reason) {
        if (!changed) {
            try {
                DomainCertificate now = describe(account, domain);
                if (same(now, before)) {
                    return DeploymentOutcome.rolledBack(before.serial(), reason + "; " + product + " domain " + domain + " keeps "
                            + before.describe());
                }
            } catch (AlibabaApiException e) {
                // fall through: set the previous certificate back in any case
            }
        }
        try {
            if (!before.https()) {
                set(account, domain, new SslChange.Off());
            } else if (before.certId() != null && !"free".equalsIgnoreCase(before.certType())) {
                setCas(account, domain, before.certId(), before.certName());
            } else if ("free".equalsIgnoreCase(before.certType())) {
                set(account, domain, new SslChange.Free());
            } else {
                return DeploymentOutcome.failed(readSerial(account, domain), reason + "; the previous certificate was "
                        + "uploaded to " + product + " directly, which does not give its key back: it cannot be set back", previous);
            }
        } catch (AlibabaApiException e) {
            return DeploymentOutcome.failed(readSerial(account, domain), reason + "; setting back " + before.describe()
                    + " FAILED: " + e.getMessage(), previous);
        }
        if (!before.https()) {
            try {
                DomainCertificate now = describe(account, domain);
                return !now.https() ? DeploymentOutcome.rolledBack(null, reason + "; HTTPS is off again, as before")
                        : DeploymentOutcome.failed(now.serial(), reason + "; HTTPS was switched off again but " + product + " still"
                        + " shows " + now.describe(), previous);
            } catch (AlibabaApiException e) {
                return DeploymentOutcome.failed(null, reason + "; HTTPS was switched off again but cannot be checked: "
                        + e.getMessage(), previous);
            }
        }
        if (before.serial() == null) {
            return DeploymentOutcome.failed(readSerial(account, domain), reason + "; the previous certificate was set back"
                    + " but it cannot be read to prove it", previous);
        }
        ReadBack now = readBackCheck.awaitServing(() -> read(account, new Domain(domain)), before.serial());
        if (ReadBackCheck.serves(now, before.serial())) {
            return DeploymentOutcome.rolledBack(before.serial(), reason + "; previous certificate " + before.serial()
                    + " set back on " + product + " domain " + domain);
        }
        return DeploymentOutcome.failed(now.serialNumber().orElse(null), reason + "; previous certificate "
                + before.serial() + " was set back but " + product + " domain " + domain + " " + now.describe(), previous);
    }

    private static boolean same(DomainCertificate now, DomainCertificate before) {
        if (now.https() != before.https()) {
            return false;
        }
        return !before.https() || (before.serial() != null && before.serial().equals(now.serial()));
    }

    private String readSerial(AlibabaAccount account, String domain) {
        return read(account, new Domain(domain)).serialNumber().orElse(null);
    }

    // ---- restore

    @Override
    protected DeploymentOutcome restoreOn(AlibabaAccount account, Domain config, PreviousCertificate previous) {
        String domain = config.domainName();
        if (!previous.present()) {
            try {
                set(account, domain, new SslChange.Off());
                return DeploymentOutcome.succeeded(null, "there was no certificate before: HTTPS switched off on " + product + " domain "
                        + domain, null);
            } catch (AlibabaApiException e) {
                return DeploymentOutcome.failed(readSerial(account, domain), "switching HTTPS off FAILED: " + e.getMessage(), null);
            }
        }
        Optional<String> serial = previous.serialNumber();
        if (serial.isEmpty()) {
            return DeploymentOutcome.failed(readSerial(account, domain), "the previous certificate cannot be read", null);
        }
        String certId;
        try {
            Optional<String> known = casIdOf(account, store, serial.get(), previous);
            if (known.isEmpty()) {
                return DeploymentOutcome.failed(readSerial(account, domain), "previous certificate " + serial.get()
                        + " is no longer in the account's certificate store (CAS) and its key is not known", null);
            }
            certId = known.get();
            setCas(account, domain, certId, null);
        } catch (AlibabaApiException e) {
            return e.retryable() ? DeploymentOutcome.unreachable("previous certificate not restored: " + e.getMessage())
                    : DeploymentOutcome.failed(readSerial(account, domain), "previous certificate not restored: "
                    + e.getMessage(), null);
        }
        ReadBack now = readBackCheck.awaitServing(() -> read(account, config), serial.get());
        if (ReadBackCheck.serves(now, serial.get())) {
            return DeploymentOutcome.succeeded(serial.get(), product + " domain " + domain + " serves previous certificate "
                    + serial.get() + " again", null);
        }
        return DeploymentOutcome.failed(now.serialNumber().orElse(null), "previous certificate " + serial.get()
                + " was set but " + product + " domain " + domain + " " + now.describe(), null);
    }

    // ---- the certificate store

    /** Deletes certflow's CAS uploads beyond the newest few that no domain of the account uses. */
    private String sweep(AlibabaAccount account) {
        return sweep(account, store, "a " + product + " domain", () -> {
            Set<String> inUse = new HashSet<>();
            for (Listed domain : userDomains(account)) {
                if (domain.https()) {
                    DomainCertificate certificate = describe(account, domain.name());
                    if (certificate.certId() != null) {
                        inUse.add(certificate.certId());
                    }
                }
            }
            return inUse;
        });
    }
}
