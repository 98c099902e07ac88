package io.certflow.deployment.target.alibaba;

import com.aliyun.alb20200616.models.ListListenerCertificatesRequest;
import com.aliyun.alb20200616.models.ListListenerCertificatesResponseBody;
import com.aliyun.alb20200616.models.ListListenersRequest;
import com.aliyun.alb20200616.models.ListListenersResponseBody;
import com.aliyun.alb20200616.models.UpdateListenerAttributeRequest;
import io.certflow.deployment.target.CertificateBundle;
import io.certflow.deployment.target.CloudCertificateLedger;
import io.certflow.deployment.target.DeploymentOutcome;
import io.certflow.deployment.target.DiscoveredResource;
import io.certflow.deployment.target.PreviousCertificate;
import io.certflow.deployment.target.ReadBack;
import io.certflow.deployment.target.ReadBackCheck;
import io.certflow.deployment.target.ServedCertificate;
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
 * Deploys to an HTTPS listener of an Alibaba Cloud Application Load Balancer (ALB, API 2020-06-16). ALB takes its
 * certificates from the Certificate Management Service: the version is uploaded to CAS once per credential
 * ({@code UploadUserCertificate}), and the listener's default certificate is set to it with
 * {@code UpdateListenerAttribute} (ALB names a CAS certificate {@code <CertId>-<certificate region>}; the change is
 * applied asynchronously). {@code ListListenerCertificates} proves the listener's default certificate is the new one
 * and {@code Associated}; CAS's {@code GetUserCertificateDetail} tells its serial. If not, the previous default
 * certificate is set back. After a successful rotation, certflow's uploads beyond the newest few that no HTTPS
 * listener of the region uses are deleted from CAS.
 */
public class AlibabaAlbTarget extends AlibabaTarget<AlibabaAlbTarget.Listener> {

    /** The resource type name. */
    public static final String TYPE = "alibaba-alb";
    public static final String LISTENER_ID = "listenerId";
    public static final String LOAD_BALANCER_ID = "loadBalancerId";
    public static final String SERVER_NAME = "serverName";

    private static final Logger log = LoggerFactory.getLogger(AlibabaAlbTarget.class);
    private static final String ALB = "ALB";
    private static final int MAX_PAGES = 200;

    /**
     * One resource's settings.
     *
     * @param listenerId the HTTPS listener, e.g. {@code lsn-bp1bpn0kn908w4nbw****}
     */
    public record Listener(String listenerId) {
        String describe() {
            return "ALB listener " + listenerId;
        }
    }

    /**
     * The listener's default certificate as ALB tells it.
     *
     * @param id     ALB's certificate id ({@code <CertId>-<region>}), or null
     * @param status {@code Associated}, {@code Associating}…
     */
    record DefaultCertificate(String id, String status) {
    }

    private final CasCertificates store;

    public AlibabaAlbTarget(AlibabaClients clients, AlibabaProperties properties, CloudCertificateLedger ledger,
                            int keepCertificates) {
        super(TYPE, "Alibaba Cloud ALB (Application Load Balancer)", clients, properties, ledger, keepCertificates);
        this.store = new CasCertificates(clients);
    }

    @Override
    protected Listener parse(Map<String, String> config) {
        TargetSettings settings = new TargetSettings(config, Set.of(LISTENER_ID, LOAD_BALANCER_ID, SERVER_NAME));
        String id = settings.value(LISTENER_ID);
        if (id == null) {
            settings.problem("'" + LISTENER_ID + "' is required (the HTTPS listener, lsn-…)");
        } else if (!id.matches("lsn-[a-z0-9*]{4,64}")) {
            settings.problem("'" + LISTENER_ID + "' is not an ALB listener id (lsn-…)");
        }
        if (settings.value(SERVER_NAME) != null) {
            settings.serverName(SERVER_NAME, "the load balancer");
        }
        settings.check(TYPE);
        return new Listener(id);
    }

    /** ALB's id of CAS certificate {@code casId}. */
    private static String albId(AlibabaAccount account, String casId) {
        return casId + "-" + account.certificateRegion();
    }

    /** CAS's id in ALB's {@code <CertId>-<region>}, or null when it is not one. */
    private static String casId(String albId) {
        if (albId == null) {
            return null;
        }
        int dash = albId.indexOf('-');
        String id = dash < 0 ? albId : albId.substring(0, dash);
        return id.matches("[0-9]+") ? id : null;
    }

    // ---- discovery

    @Override
    protected List<DiscoveredResource> list(AlibabaAccount account) {
        List<DiscoveredResource> found = new ArrayList<>();
        for (var listener : httpsListeners(account)) {
            String id = listener.getListenerId();
            List<String> domains = List.of();
            DefaultCertificate current = defaultCertificate(account, id);
            String casId = casId(current.id());
            if (casId != null) {
                try {
                    domains = store.describe(account, casId).map(ServedCertificate::dnsNames).orElse(List.of());
                } catch (AlibabaApiException e) {
                    if (!e.notFound()) {
                        throw e;
                    }
                }
            }
            String name = listener.getLoadBalancerId() + " HTTPS:" + listener.getListenerPort()
                    + (listener.getListenerDescription() == null || listener.getListenerDescription().isBlank() ? ""
                    : " (" + listener.getListenerDescription() + ")");
            found.add(new DiscoveredResource(id, name, domains, Map.of(LISTENER_ID, id,
                    LOAD_BALANCER_ID, String.valueOf(listener.getLoadBalancerId()))));
        }
        return found;
    }

    private List<ListListenersResponseBody.ListListenersResponseBodyListeners> httpsListeners(AlibabaAccount account) {
        com.aliyun.alb20200616.Client alb = clients.alb(account);
        List<ListListenersResponseBody.ListListenersResponseBodyListeners> all = new ArrayList<>();
        String next = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            ListListenersRequest request = new ListListenersRequest().setListenerProtocol("HTTPS")
                    .setMaxResults(properties.pageSize());
            if (next != null) {
                request.setNextToken(next);
            }
            ListListenersResponseBody body = AlibabaClients.call(account, ALB, "ListListeners",
                    () -> alb.listListenersWithOptions(request, clients.runtime())).getBody();
            if (body.getListeners() != null) {
                body.getListeners().stream().filter(l -> "HTTPS".equalsIgnoreCase(l.getListenerProtocol())).forEach(all::add);
            }
            next = body.getNextToken();
            if (next == null || next.isBlank()) {
                break;
            }
        }
        return all;
    }

    /** All server certificates of the listener (default first), with their status. */
    private List<ListListenerCertificatesResponseBody.ListListenerCertificatesResponseBodyCertificates> certificates(
            AlibabaAccount account, String listenerId) {
        com.aliyun.alb20200616.Client alb = clients.alb(account);
        List<ListListenerCertificatesResponseBody.ListListenerCertificatesResponseBodyCertificates> all = new ArrayList<>();
        String next = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            ListListenerCertificatesRequest request = new ListListenerCertificatesRequest().setListenerId(listenerId)
                    .setCertificateType("Server").setMaxResults(properties.pageSize());
            if (next != null) {
                request.setNextToken(next);
            }
            ListListenerCertificatesResponseBody body = AlibabaClients.call(account, ALB, "ListListenerCertificates",
                    () -> alb.listListenerCertificatesWithOptions(request, clients.runtime())).getBody();
            if (body.getCertificates() != null) {
                all.addAll(body.getCertificates());
            }
            next = body.getNextToken();
            if (next == null || next.isBlank()) {
                break;
            }
        }
        return all;
    }

    private DefaultCertificate defaultCertificate(AlibabaAccount account, String listenerId) {
        return certificates(account, listenerId).stream().filter(c -> Boolean.TRUE.equals(c.getIsDefault())).findFirst()
                .map(c -> new DefaultCertificate(c.getCertificateId(), c.getStatus()))
                .orElse(new DefaultCertificate(null, null));
    }

    // ---- read back

    @Override
    protected ReadBack read(AlibabaAccount account, Listener listener) {
        try {
            DefaultCertificate current = defaultCertificate(account, listener.listenerId());
            if (current.id() == null) {
                return ReadBack.unknown(listener.describe() + " has no default certificate");
            }
            if (!"Associated".equalsIgnoreCase(current.status())) {
                return ReadBack.unknown(listener.describe() + " default certificate " + current.id() + " is "
                        + current.status() + ", not yet Associated");
            }
            String casId = casId(current.id());
            Optional<ServedCertificate> served = casId == null ? Optional.empty() : store.describe(account, casId);
            return served.map(ReadBack::of).orElseGet(() -> ReadBack.unknown(listener.describe() + " uses certificate "
                    + current.id() + ", which the Certificate Management Service does not describe"));
        } catch (AlibabaApiException e) {
            return ReadBack.unknown(e.getMessage());
        }
    }

    // ---- deploy

    @Override
    protected DeploymentOutcome install(AlibabaAccount account, Listener listener, CertificateBundle bundle, String wanted) {
        DefaultCertificate before;
        try {
            before = defaultCertificate(account, listener.listenerId());
        } catch (AlibabaApiException e) {
            return e.notFound() ? DeploymentOutcome.failed(null, "nothing deployed: " + listener.describe()
                    + " no longer exists (" + e.getMessage() + ")", null) : nothingChanged(e, null);
        }
        String beforeSerial = read(account, listener).serialNumber().orElse(null);
        String casId;
        try {
            casId = ledger.uploadOnce(account.credentialId(), wanted, () -> store.upload(account, bundle, wanted));
        } catch (AlibabaApiException e) {
            return nothingChanged(e, beforeSerial);
        }
        String id = albId(account, casId);
        try {
            setDefault(account, listener, id);
        } catch (AlibabaApiException e) {
            if (e.retryable()) {
                return DeploymentOutcome.unreachable(listener.describe() + " keeps certificate " + before.id() + ": "
                        + e.getMessage());
            }
            return rollBack(account, listener, before, beforeSerial, false, "UpdateListenerAttribute failed: " + e.getMessage());
        }
        ReadBack served = readBackCheck.awaitServing(() -> read(account, listener), wanted);
        if (!ReadBackCheck.serves(served, wanted)) {
            log.warn("{} does not use certificate {} after the change ({}); setting back {}", listener.describe(), wanted,
                    served.describe(), before.id());
            return rollBack(account, listener, before, beforeSerial, true, "after UpdateListenerAttribute "
                    + listener.describe() + " " + served.describe() + " instead of " + wanted);
        }
        log.info("{} uses certificate {} (CAS certificate {})", listener.describe(), wanted, casId);
        String swept = sweep(account);
        return DeploymentOutcome.succeeded(wanted, listener.describe() + " uses certificate " + wanted + " (" + id
                + ", replaced " + before.id() + ")" + swept, null);
    }

    private void setDefault(AlibabaAccount account, Listener listener, String certificateId) {
        com.aliyun.alb20200616.Client alb = clients.alb(account);
        UpdateListenerAttributeRequest request = new UpdateListenerAttributeRequest().setListenerId(listener.listenerId())
                .setCertificates(List.of(new UpdateListenerAttributeRequest.UpdateListenerAttributeRequestCertificates()
                        .setCertificateId(certificateId)));
        AlibabaClients.call(account, ALB, "UpdateListenerAttribute",
                () -> alb.updateListenerAttributeWithOptions(request, clients.runtime()));
    }

    private DeploymentOutcome rollBack(AlibabaAccount account, Listener listener, DefaultCertificate before,
                                       String beforeSerial, boolean changed, String reason) {
        if (before.id() == null) {
            return DeploymentOutcome.failed(null, reason + "; " + listener.describe() + " had no default certificate to"
                    + " set back", null);
        }
        String what = "certificate " + before.id() + (beforeSerial == null ? "" : " (" + beforeSerial + ")");
        try {
            if (!changed && before.id().equals(defaultCertificate(account, listener.listenerId()).id())) {
                return DeploymentOutcome.rolledBack(beforeSerial, reason + "; " + listener.describe() + " keeps " + what);
            }
            setDefault(account, listener, before.id());
        } catch (AlibabaApiException e) {
            return DeploymentOutcome.failed(null, reason + "; setting back " + what + " FAILED: " + e.getMessage(), null);
        }
        if (beforeSerial != null) {
            ReadBack now = readBackCheck.awaitServing(() -> read(account, listener), beforeSerial);
            return ReadBackCheck.serves(now, beforeSerial)
                    ? DeploymentOutcome.rolledBack(beforeSerial, reason + "; " + what + " set back on " + listener.describe())
                    : DeploymentOutcome.failed(now.serialNumber().orElse(null), reason + "; " + what + " was set back but "
                    + listener.describe() + " " + now.describe(), null);
        }
        DefaultCertificate now = defaultCertificate(account, listener.listenerId());
        return before.id().equals(now.id())
                ? DeploymentOutcome.rolledBack(null, reason + "; " + what + " set back on " + listener.describe())
                : DeploymentOutcome.failed(null, reason + "; " + what + " was set back but " + listener.describe()
                + " uses " + now.id(), null);
    }

    // ---- restore

    @Override
    protected DeploymentOutcome restoreOn(AlibabaAccount account, Listener listener, PreviousCertificate previous) {
        Optional<String> serial = previous.serialNumber();
        if (!previous.present() || serial.isEmpty()) {
            return DeploymentOutcome.failed(null, "an HTTPS listener cannot be left without a certificate: nothing restored",
                    null);
        }
        String casId;
        try {
            Optional<String> known = recordedUpload(account, serial.get()).or(() -> store.findBySerial(account, serial.get(), null));
            if (known.isPresent()) {
                casId = known.get();
            } else if (previous.privateKeyPem() != null) {
                CertificateBundle bundle = new CertificateBundle(previous.certificateChainPem(), previous.privateKeyPem());
                casId = ledger.uploadOnce(account.credentialId(), serial.get(), () -> store.upload(account, bundle, serial.get()));
            } else {
                return DeploymentOutcome.failed(null, "previous certificate " + serial.get() + " is not in the account's"
                        + " certificate store (CAS) and its key is not known", null);
            }
            setDefault(account, listener, albId(account, casId));
        } catch (AlibabaApiException e) {
            return e.retryable() ? DeploymentOutcome.unreachable("previous certificate not restored: " + e.getMessage())
                    : DeploymentOutcome.failed(null, "previous certificate not restored: " + e.getMessage(), null);
        }
        ReadBack now = readBackCheck.awaitServing(() -> read(account, listener), serial.get());
        return ReadBackCheck.serves(now, serial.get())
                ? DeploymentOutcome.succeeded(serial.get(), listener.describe() + " uses previous certificate "
                + serial.get() + " again", null)
                : DeploymentOutcome.failed(now.serialNumber().orElse(null), "previous certificate " + serial.get()
                + " was set but " + listener.describe() + " " + now.describe(), null);
    }

    // ---- the certificate store

    /** Deletes certflow's CAS uploads beyond the newest few that no HTTPS listener of the region uses. */
    private String sweep(AlibabaAccount account) {
        List<CloudCertificateLedger.Upload> candidates = ledger.beyondNewest(account.credentialId(), keepCertificates);
        if (candidates.isEmpty()) {
            return "";
        }
        try {
            Set<String> inUse = new HashSet<>();
            for (var listener : httpsListeners(account)) {
                certificates(account, listener.getListenerId()).forEach(c -> inUse.add(casId(c.getCertificateId())));
            }
            List<String> removed = new ArrayList<>();
            for (CloudCertificateLedger.Upload upload : candidates) {
                if (inUse.contains(upload.cloudCertificateId())) {
                    log.info("CAS certificate {} (version {}) is still used by an ALB listener: kept",
                            upload.cloudCertificateId(), upload.serialNumber());
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
}
