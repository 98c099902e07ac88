package io.certflow.deployment.target.alibaba;

import com.aliyun.slb20140515.models.DeleteServerCertificateRequest;
import com.aliyun.slb20140515.models.DescribeLoadBalancerAttributeRequest;
import com.aliyun.slb20140515.models.DescribeLoadBalancerAttributeResponseBody;
import com.aliyun.slb20140515.models.DescribeLoadBalancerHTTPSListenerAttributeRequest;
import com.aliyun.slb20140515.models.DescribeLoadBalancerHTTPSListenerAttributeResponseBody;
import com.aliyun.slb20140515.models.DescribeLoadBalancersRequest;
import com.aliyun.slb20140515.models.DescribeLoadBalancersResponseBody;
import com.aliyun.slb20140515.models.DescribeServerCertificatesRequest;
import com.aliyun.slb20140515.models.DescribeServerCertificatesResponseBody;
import com.aliyun.slb20140515.models.SetLoadBalancerHTTPSListenerAttributeRequest;
import com.aliyun.slb20140515.models.UploadServerCertificateRequest;
import io.certflow.deployment.target.CertificateBundle;
import io.certflow.deployment.target.CloudCertificateLedger;
import io.certflow.deployment.target.DeploymentOutcome;
import io.certflow.deployment.target.DiscoveredResource;
import io.certflow.deployment.target.PemCertificates;
import io.certflow.deployment.target.PreviousCertificate;
import io.certflow.deployment.target.ReadBack;
import io.certflow.deployment.target.ReadBackCheck;
import io.certflow.deployment.target.ServedCertificate;
import io.certflow.deployment.target.TargetSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Deploys to an HTTPS listener of an Alibaba Cloud Classic Load Balancer (SLB). The certificate is uploaded once per
 * credential to SLB's own certificate store of the credential's region ({@code UploadServerCertificate}), the listener
 * is pointed at it ({@code SetLoadBalancerHTTPSListenerAttribute}), and {@code DescribeLoadBalancerHTTPSListenerAttribute}
 * with {@code DescribeServerCertificates} prove that the listener now uses a server certificate whose SHA-1
 * fingerprint is the new leaf's. If not, the listener's previous server certificate is set back. After a successful
 * rotation, certflow's uploads beyond the newest few that no listener of the region uses any more are deleted.
 *
 * <p>SLB never gives a certificate's PEM back, so {@link DeploymentOutcome#previous()} is not known here; the
 * deployment itself sets back the previous server certificate by its id.
 */
public class AlibabaSlbTarget extends AlibabaTarget<AlibabaSlbTarget.Listener> {

    /** The resource type name. */
    public static final String TYPE = "alibaba-slb";
    public static final String LOAD_BALANCER_ID = "loadBalancerId";
    public static final String LISTENER_PORT = "listenerPort";
    /** Optional: the host name clients ask for, when the listener's certificate does not tell. */
    public static final String SERVER_NAME = "serverName";

    private static final Logger log = LoggerFactory.getLogger(AlibabaSlbTarget.class);
    private static final String SLB = "SLB";
    private static final int MAX_PAGES = 200;

    /**
     * One resource's settings.
     *
     * @param loadBalancerId the load balancer, e.g. {@code lb-bp1o94dp5i6earr9g6d1l}
     * @param port           the HTTPS listener's front-end port
     */
    public record Listener(String loadBalancerId, int port) {
        String describe() {
            return "SLB listener " + loadBalancerId + ":" + port;
        }
    }

    /**
     * A server certificate in SLB's store, as SLB describes it.
     *
     * @param id          its ServerCertificateId
     * @param name        its name
     * @param fingerprint SHA-1 of the leaf, lower-case hex without colons
     * @param names       common name and subject alternative names
     * @param notAfter    expiry, or null
     */
    record ServerCertificate(String id, String name, String fingerprint, List<String> names, Instant notAfter) {
    }

    public AlibabaSlbTarget(AlibabaClients clients, AlibabaProperties properties, CloudCertificateLedger ledger,
                            int keepCertificates) {
        super(TYPE, "Alibaba Cloud SLB (Classic Load Balancer)", clients, properties, ledger, keepCertificates);
    }

    @Override
    protected Listener parse(Map<String, String> config) {
        TargetSettings settings = new TargetSettings(config, Set.of(LOAD_BALANCER_ID, LISTENER_PORT, SERVER_NAME));
        String id = settings.value(LOAD_BALANCER_ID);
        if (id == null) {
            settings.problem("'" + LOAD_BALANCER_ID + "' is required (e.g. lb-bp1o94dp5i6earr9g6d1l)");
        } else if (!id.matches("lb-[a-z0-9]{6,64}")) {
            settings.problem("'" + LOAD_BALANCER_ID + "' is not a load balancer id (lb-…)");
        }
        int port = 0;
        String givenPort = settings.value(LISTENER_PORT);
        if (givenPort == null) {
            settings.problem("'" + LISTENER_PORT + "' is required (the HTTPS listener's port, e.g. 443)");
        } else {
            try {
                port = Integer.parseInt(givenPort);
                if (port < 1 || port > 65535) {
                    settings.problem("'" + LISTENER_PORT + "' must be 1-65535");
                }
            } catch (NumberFormatException e) {
                settings.problem("'" + LISTENER_PORT + "' is not a number");
            }
        }
        if (settings.value(SERVER_NAME) != null) {
            settings.serverName(SERVER_NAME, "the load balancer");
        }
        settings.check(TYPE);
        return new Listener(id, port);
    }

    // ---- discovery

    @Override
    protected List<DiscoveredResource> list(AlibabaAccount account) {
        com.aliyun.slb20140515.Client slb = clients.slb(account);
        Map<String, ServerCertificate> certificates = serverCertificates(account, null);
        List<DiscoveredResource> found = new ArrayList<>();
        for (var balancer : loadBalancers(account)) {
            String id = balancer.getLoadBalancerId();
            for (int port : httpsPorts(account, slb, id)) {
                Listener listener = new Listener(id, port);
                String certificateId;
                try {
                    certificateId = listenerAttribute(account, slb, listener).getServerCertificateId();
                } catch (AlibabaApiException e) {
                    if (!e.notFound()) {
                        throw e;
                    }
                    continue; // deleted while listing
                }
                ServerCertificate certificate = certificateId == null ? null : certificates.get(certificateId);
                String name = (balancer.getLoadBalancerName() == null || balancer.getLoadBalancerName().isBlank()
                        ? id : balancer.getLoadBalancerName() + " (" + id + ")") + " HTTPS:" + port;
                found.add(new DiscoveredResource(id + ":" + port, name,
                        certificate == null ? List.of() : certificate.names(),
                        Map.of(LOAD_BALANCER_ID, id, LISTENER_PORT, String.valueOf(port))));
            }
        }
        return found;
    }

    private List<DescribeLoadBalancersResponseBody.DescribeLoadBalancersResponseBodyLoadBalancersLoadBalancer> loadBalancers(
            AlibabaAccount account) {
        com.aliyun.slb20140515.Client slb = clients.slb(account);
        List<DescribeLoadBalancersResponseBody.DescribeLoadBalancersResponseBodyLoadBalancersLoadBalancer> all = new ArrayList<>();
        for (int page = 1; page <= MAX_PAGES; page++) {
            DescribeLoadBalancersRequest request = new DescribeLoadBalancersRequest().setRegionId(account.regionId())
                    .setPageNumber(page).setPageSize(properties.pageSize());
            DescribeLoadBalancersResponseBody body = AlibabaClients.call(account, SLB, "DescribeLoadBalancers",
                    () -> slb.describeLoadBalancersWithOptions(request, clients.runtime())).getBody();
            var data = body.getLoadBalancers() == null || body.getLoadBalancers().getLoadBalancer() == null
                    ? List.<DescribeLoadBalancersResponseBody.DescribeLoadBalancersResponseBodyLoadBalancersLoadBalancer>of()
                    : body.getLoadBalancers().getLoadBalancer();
            all.addAll(data);
            int total = body.getTotalCount() == null ? 0 : body.getTotalCount();
            if (data.isEmpty() || all.size() >= total) {
                break;
            }
        }
        return all;
    }

    private List<Integer> httpsPorts(AlibabaAccount account, com.aliyun.slb20140515.Client slb, String loadBalancerId) {
        DescribeLoadBalancerAttributeRequest request = new DescribeLoadBalancerAttributeRequest()
                .setRegionId(account.regionId()).setLoadBalancerId(loadBalancerId);
        DescribeLoadBalancerAttributeResponseBody body;
        try {
            body = AlibabaClients.call(account, SLB, "DescribeLoadBalancerAttribute",
                    () -> slb.describeLoadBalancerAttributeWithOptions(request, clients.runtime())).getBody();
        } catch (AlibabaApiException e) {
            if (e.notFound()) {
                return List.of(); // deleted while listing
            }
            throw e;
        }
        if (body.getListenerPortsAndProtocol() == null || body.getListenerPortsAndProtocol().getListenerPortAndProtocol() == null) {
            return List.of();
        }
        return body.getListenerPortsAndProtocol().getListenerPortAndProtocol().stream()
                .filter(l -> "https".equalsIgnoreCase(l.getListenerProtocol()) && l.getListenerPort() != null)
                .map(l -> l.getListenerPort()).distinct().sorted().toList();
    }

    private DescribeLoadBalancerHTTPSListenerAttributeResponseBody listenerAttribute(AlibabaAccount account,
            com.aliyun.slb20140515.Client slb, Listener listener) {
        DescribeLoadBalancerHTTPSListenerAttributeRequest request = new DescribeLoadBalancerHTTPSListenerAttributeRequest()
                .setRegionId(account.regionId()).setLoadBalancerId(listener.loadBalancerId()).setListenerPort(listener.port());
        return AlibabaClients.call(account, SLB, "DescribeLoadBalancerHTTPSListenerAttribute",
                () -> slb.describeLoadBalancerHTTPSListenerAttributeWithOptions(request, clients.runtime())).getBody();
    }

    /** SLB's server certificates of the region by id (or the one with {@code id}). */
    private Map<String, ServerCertificate> serverCertificates(AlibabaAccount account, String id) {
        com.aliyun.slb20140515.Client slb = clients.slb(account);
        DescribeServerCertificatesRequest request = new DescribeServerCertificatesRequest().setRegionId(account.regionId());
        if (id != null) {
            request.setServerCertificateId(id);
        }
        DescribeServerCertificatesResponseBody body = AlibabaClients.call(account, SLB, "DescribeServerCertificates",
                () -> slb.describeServerCertificatesWithOptions(request, clients.runtime())).getBody();
        Map<String, ServerCertificate> byId = new HashMap<>();
        if (body.getServerCertificates() == null || body.getServerCertificates().getServerCertificate() == null) {
            return byId;
        }
        for (var c : body.getServerCertificates().getServerCertificate()) {
            Set<String> names = new LinkedHashSet<>();
            if (c.getSubjectAlternativeNames() != null && c.getSubjectAlternativeNames().getSubjectAlternativeName() != null) {
                c.getSubjectAlternativeNames().getSubjectAlternativeName().forEach(n -> names.add(n.toLowerCase(Locale.ROOT)));
            }
            if (names.isEmpty() && c.getCommonName() != null && !c.getCommonName().isBlank()) {
                names.add(c.getCommonName().toLowerCase(Locale.ROOT));
            }
            byId.put(c.getServerCertificateId(), new ServerCertificate(c.getServerCertificateId(), c.getServerCertificateName(),
                    c.getFingerprint() == null ? null : c.getFingerprint().replace(":", "").toLowerCase(Locale.ROOT),
                    List.copyOf(names), c.getExpireTimeStamp() == null ? null : Instant.ofEpochMilli(c.getExpireTimeStamp())));
        }
        return byId;
    }

    // ---- read back

    /** The listener's server certificate id now. */
    private String currentCertificateId(AlibabaAccount account, Listener listener) {
        return listenerAttribute(account, clients.slb(account), listener).getServerCertificateId();
    }

    @Override
    protected ReadBack read(AlibabaAccount account, Listener listener) {
        try {
            String id = currentCertificateId(account, listener);
            if (id == null || id.isBlank()) {
                return ReadBack.unknown(listener.describe() + " has no server certificate");
            }
            ServerCertificate certificate = serverCertificates(account, id).get(id);
            if (certificate == null) {
                return ReadBack.unknown(listener.describe() + " uses server certificate " + id + ", which SLB does not describe");
            }
            Optional<String> serial = recordedSerial(account, id).or(() -> serialOfUploadName(certificate.name()));
            if (serial.isEmpty()) {
                return ReadBack.unknown(listener.describe() + " uses server certificate " + id + " (" + certificate.names()
                        + ", expires " + certificate.notAfter() + "), which certflow did not upload: SLB does not tell its serial");
            }
            return ReadBack.of(new ServedCertificate(serial.get(), certificate.notAfter(), certificate.names()));
        } catch (AlibabaApiException e) {
            return ReadBack.unknown(e.getMessage());
        }
    }

    /**
     * The proof: the listener uses {@code id}, and SLB's certificate {@code id} has the leaf's fingerprint. Answers the
     * served certificate (with the leaf's serial) when both hold, else what was seen.
     */
    private ReadBack prove(AlibabaAccount account, Listener listener, String id, X509Certificate leaf) {
        try {
            String now = currentCertificateId(account, listener);
            if (!id.equals(now)) {
                return ReadBack.unknown(listener.describe() + " uses server certificate " + now + ", not " + id);
            }
            ServerCertificate certificate = serverCertificates(account, id).get(id);
            String expected = fingerprint(leaf);
            if (certificate == null || !expected.equals(certificate.fingerprint())) {
                return ReadBack.unknown("server certificate " + id + " is not the new certificate (fingerprint "
                        + (certificate == null ? "unknown" : certificate.fingerprint()) + ", expected " + expected + ")");
            }
            return ReadBack.of(ServedCertificate.of(leaf));
        } catch (AlibabaApiException e) {
            return ReadBack.unknown(e.getMessage());
        }
    }

    static String fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- deploy

    @Override
    protected DeploymentOutcome install(AlibabaAccount account, Listener listener, CertificateBundle bundle, String wanted) {
        com.aliyun.slb20140515.Client slb = clients.slb(account);
        String before;
        try {
            before = currentCertificateId(account, listener);
        } catch (AlibabaApiException e) {
            return e.notFound() ? DeploymentOutcome.failed(null, "nothing deployed: " + listener.describe()
                    + " no longer exists (" + e.getMessage() + ")", null) : nothingChanged(e, null);
        }
        String beforeSerial = read(account, listener).serialNumber().orElse(null);
        String id;
        try {
            id = ledger.uploadOnce(account.credentialId(), wanted, () -> upload(account, slb, bundle, wanted));
        } catch (AlibabaApiException e) {
            return nothingChanged(e, beforeSerial);
        }
        if (id.equals(before)) {
            ReadBack served = prove(account, listener, id, bundle.leaf());
            if (ReadBackCheck.serves(served, wanted)) {
                return DeploymentOutcome.succeeded(wanted, listener.describe() + " already uses certificate " + wanted
                        + " (server certificate " + id + ")", null);
            }
        }
        try {
            setCertificate(account, slb, listener, id);
        } catch (AlibabaApiException e) {
            if (e.retryable()) {
                return DeploymentOutcome.unreachable(listener.describe() + " keeps server certificate " + before + ": "
                        + e.getMessage());
            }
            return rollBack(account, slb, listener, before, beforeSerial, false,
                    "SetLoadBalancerHTTPSListenerAttribute failed: " + e.getMessage());
        }
        X509Certificate leaf = bundle.leaf();
        ReadBack served = readBackCheck.awaitServing(() -> prove(account, listener, id, leaf), wanted);
        if (!ReadBackCheck.serves(served, wanted)) {
            log.warn("{} does not use certificate {} after the change ({}); setting back server certificate {}",
                    listener.describe(), wanted, served.describe(), before);
            return rollBack(account, slb, listener, before, beforeSerial, true,
                    "after SetLoadBalancerHTTPSListenerAttribute " + served.describe());
        }
        log.info("{} uses certificate {} (server certificate {})", listener.describe(), wanted, id);
        String swept = sweep(account);
        return DeploymentOutcome.succeeded(wanted, listener.describe() + " uses certificate " + wanted
                + " (server certificate " + id + ", replaced " + (before == null ? "none" : before) + ")" + swept, null);
    }

    private String upload(AlibabaAccount account, com.aliyun.slb20140515.Client slb, CertificateBundle bundle, String serial) {
        UploadServerCertificateRequest request = new UploadServerCertificateRequest().setRegionId(account.regionId())
                .setServerCertificateName(uploadName(serial)).setServerCertificate(bundle.certificateChainPem())
                .setPrivateKey(bundle.privateKeyPem());
        String id = AlibabaClients.call(account, SLB, "UploadServerCertificate",
                () -> slb.uploadServerCertificateWithOptions(request, clients.runtime())).getBody().getServerCertificateId();
        if (id == null || id.isBlank()) {
            throw new AlibabaApiException("Alibaba Cloud SLB UploadServerCertificate answered without a ServerCertificateId",
                    "UploadServerCertificate", null, true);
        }
        log.info("uploaded certificate {} to SLB's certificate store of credential {} ({}) as server certificate {}",
                serial, account.credentialId(), account.regionId(), id);
        return id;
    }

    private void setCertificate(AlibabaAccount account, com.aliyun.slb20140515.Client slb, Listener listener, String id) {
        SetLoadBalancerHTTPSListenerAttributeRequest request = new SetLoadBalancerHTTPSListenerAttributeRequest()
                .setRegionId(account.regionId()).setLoadBalancerId(listener.loadBalancerId())
                .setListenerPort(listener.port()).setServerCertificateId(id);
        AlibabaClients.call(account, SLB, "SetLoadBalancerHTTPSListenerAttribute",
                () -> slb.setLoadBalancerHTTPSListenerAttributeWithOptions(request, clients.runtime()));
    }

    private DeploymentOutcome rollBack(AlibabaAccount account, com.aliyun.slb20140515.Client slb, Listener listener,
                                       String before, String beforeSerial, boolean changed, String reason) {
        String what = "server certificate " + before + (beforeSerial == null ? "" : " (certificate " + beforeSerial + ")");
        if (before == null || before.isBlank()) {
            return DeploymentOutcome.failed(null, reason + "; " + listener.describe() + " had no server certificate to "
                    + "set back", null);
        }
        try {
            if (!changed && before.equals(currentCertificateId(account, listener))) {
                return DeploymentOutcome.rolledBack(beforeSerial, reason + "; " + listener.describe() + " keeps " + what);
            }
            setCertificate(account, slb, listener, before);
        } catch (AlibabaApiException e) {
            return DeploymentOutcome.failed(null, reason + "; setting back " + what + " FAILED: " + e.getMessage(), null);
        }
        long deadline = System.nanoTime() + properties.readBackWindow().toNanos();
        String now = null;
        while (true) {
            try {
                now = currentCertificateId(account, listener);
            } catch (AlibabaApiException e) {
                now = "unknown (" + e.getMessage() + ")";
            }
            if (before.equals(now) || System.nanoTime() >= deadline) {
                break;
            }
            try {
                Thread.sleep(properties.readBackInterval().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (before.equals(now)) {
            return DeploymentOutcome.rolledBack(beforeSerial, reason + "; " + what + " set back on " + listener.describe());
        }
        return DeploymentOutcome.failed(null, reason + "; " + what + " was set back but " + listener.describe()
                + " uses " + now, null);
    }

    // ---- restore

    @Override
    protected DeploymentOutcome restoreOn(AlibabaAccount account, Listener listener, PreviousCertificate previous) {
        if (!previous.present()) {
            return DeploymentOutcome.failed(read(account, listener).serialNumber().orElse(null), "an HTTPS listener cannot"
                    + " be left without a certificate: nothing restored", null);
        }
        Optional<String> serial = previous.serialNumber();
        if (serial.isEmpty()) {
            return DeploymentOutcome.failed(null, "the previous certificate cannot be read", null);
        }
        com.aliyun.slb20140515.Client slb = clients.slb(account);
        X509Certificate leaf = PemCertificates.parseChain(previous.certificateChainPem()).get(0);
        String id;
        try {
            String fingerprint = fingerprint(leaf);
            Optional<String> known = recordedUpload(account, serial.get()).or(() -> serverCertificates(account, null)
                    .values().stream().filter(c -> fingerprint.equals(c.fingerprint())).map(ServerCertificate::id).findFirst());
            if (known.isPresent()) {
                id = known.get();
            } else if (previous.privateKeyPem() != null) {
                CertificateBundle bundle = new CertificateBundle(previous.certificateChainPem(), previous.privateKeyPem());
                id = ledger.uploadOnce(account.credentialId(), serial.get(), () -> upload(account, slb, bundle, serial.get()));
            } else {
                return DeploymentOutcome.failed(null, "previous certificate " + serial.get() + " is not in SLB's certificate"
                        + " store of " + account.regionId() + " and its key is not known", null);
            }
            setCertificate(account, slb, listener, id);
        } catch (AlibabaApiException e) {
            return e.retryable() ? DeploymentOutcome.unreachable("previous certificate not restored: " + e.getMessage())
                    : DeploymentOutcome.failed(null, "previous certificate not restored: " + e.getMessage(), null);
        }
        ReadBack served = readBackCheck.awaitServing(() -> prove(account, listener, id, leaf), serial.get());
        return ReadBackCheck.serves(served, serial.get())
                ? DeploymentOutcome.succeeded(serial.get(), listener.describe() + " uses previous certificate "
                + serial.get() + " again (server certificate " + id + ")", null)
                : DeploymentOutcome.failed(null, "previous certificate " + serial.get() + " was set but " + served.describe(), null);
    }

    // ---- the certificate store

    /** Deletes certflow's uploads beyond the newest few that no listener of the region uses; says what it did. */
    private String sweep(AlibabaAccount account) {
        List<CloudCertificateLedger.Upload> candidates = ledger.beyondNewest(account.credentialId(), keepCertificates);
        if (candidates.isEmpty()) {
            return "";
        }
        com.aliyun.slb20140515.Client slb = clients.slb(account);
        try {
            Set<String> inUse = new HashSet<>();
            for (var balancer : loadBalancers(account)) {
                for (int port : httpsPorts(account, slb, balancer.getLoadBalancerId())) {
                    var attribute = listenerAttribute(account, slb, new Listener(balancer.getLoadBalancerId(), port));
                    inUse.add(attribute.getServerCertificateId());
                    if (attribute.getDomainExtensions() != null && attribute.getDomainExtensions().getDomainExtension() != null) {
                        attribute.getDomainExtensions().getDomainExtension().forEach(d -> inUse.add(d.getServerCertificateId()));
                    }
                }
            }
            List<String> removed = new ArrayList<>();
            for (CloudCertificateLedger.Upload upload : candidates) {
                if (inUse.contains(upload.cloudCertificateId())) {
                    log.info("server certificate {} (version {}) is still used by a listener: kept", upload.cloudCertificateId(),
                            upload.serialNumber());
                    continue;
                }
                try {
                    DeleteServerCertificateRequest request = new DeleteServerCertificateRequest()
                            .setRegionId(account.regionId()).setServerCertificateId(upload.cloudCertificateId());
                    AlibabaClients.call(account, SLB, "DeleteServerCertificate",
                            () -> slb.deleteServerCertificateWithOptions(request, clients.runtime()));
                } catch (AlibabaApiException e) {
                    if (!e.notFound()) {
                        log.warn("cannot delete old server certificate {}: {}", upload.cloudCertificateId(), e.getMessage());
                        continue;
                    }
                }
                ledger.forget(account.credentialId(), upload.cloudCertificateId());
                removed.add(upload.serialNumber());
            }
            return removed.isEmpty() ? "" : "; removed " + removed.size() + " old certificate(s) from SLB's certificate"
                    + " store: " + String.join(", ", removed);
        } catch (AlibabaApiException e) {
            log.warn("old server certificates of credential {} not removed this time: {}", account.credentialId(), e.getMessage());
            return "";
        }
    }
}
