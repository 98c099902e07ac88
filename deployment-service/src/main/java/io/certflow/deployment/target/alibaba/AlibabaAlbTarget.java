package io.certflow.deployment.target.alibaba;

import com.aliyun.alb20200616.models.ListListenerCertificatesRequest;
import com.aliyun.alb20200616.models.ListListenerCertificatesResponseBody;
import com.aliyun.alb20200616.models.ListListenersRequest;
import com.aliyun.alb20200616.models.ListListenersResponseBody;
import com.aliyun.alb20200616.models.UpdateListenerAttributeRequest;
import io.certflow.deployment.target.CloudCertificateLedger;
import io.certflow.deployment.target.DiscoveredResource;
import io.certflow.deployment.target.ServedCertificate;
import io.certflow.deployment.target.TargetSettings;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Deploys to an HTTPS listener of an Alibaba Cloud Application Load Balancer (ALB, API 2020-06-16). ALB takes its
 * certificates from the Certificate Management Service ({@link CasBoundTarget}): the listener's default certificate is
 * set with {@code UpdateListenerAttribute} (ALB names a CAS certificate {@code <CertId>-<certificate region>}; the
 * change is applied asynchronously), and {@code ListListenerCertificates} proves the listener's default certificate is
 * the new one and {@code Associated}. Old uploads are removed when no HTTPS listener of the region uses them.
 */
public class AlibabaAlbTarget extends CasBoundTarget<AlibabaAlbTarget.Listener> {

    /** The resource type name. */
    public static final String TYPE = "alibaba-alb";
    public static final String LISTENER_ID = "listenerId";
    public static final String LOAD_BALANCER_ID = "loadBalancerId";
    public static final String SERVER_NAME = "serverName";

    private static final String ALB = "ALB";
    private static final int MAX_PAGES = 200;

    /**
     * One resource's settings.
     *
     * @param listenerId the HTTPS listener, e.g. {@code lsn-bp1bpn0kn908w4nbw****}
     */
    public record Listener(String listenerId) implements Described {
        public String describe() {
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

    public AlibabaAlbTarget(AlibabaClients clients, AlibabaProperties properties, CloudCertificateLedger ledger,
                            int keepCertificates) {
        super(TYPE, "Alibaba Cloud ALB (Application Load Balancer)", "UpdateListenerAttribute", "an ALB listener", clients,
                properties, ledger, keepCertificates);
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

    // ---- discovery

    @Override
    protected List<DiscoveredResource> list(AlibabaAccount account) {
        List<DiscoveredResource> found = new ArrayList<>();
        for (var listener : httpsListeners(account)) {
            String id = listener.getListenerId();
            List<String> domains = List.of();
            DefaultCertificate current = defaultCertificate(account, id);
            String casId = casIdIn(current.id());
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

    // ---- the listener's certificate

    @Override
    protected Bound bound(AlibabaAccount account, Listener listener) {
        DefaultCertificate current = defaultCertificate(account, listener.listenerId());
        if (current.id() == null) {
            return Bound.none();
        }
        return new Bound(casIdIn(current.id()), current.id(),
                "Associated".equalsIgnoreCase(current.status()) ? null : current.status());
    }

    @Override
    protected void bind(AlibabaAccount account, Listener listener, String casId) {
        com.aliyun.alb20200616.Client alb = clients.alb(account);
        UpdateListenerAttributeRequest request = new UpdateListenerAttributeRequest().setListenerId(listener.listenerId())
                .setCertificates(List.of(new UpdateListenerAttributeRequest.UpdateListenerAttributeRequestCertificates()
                        .setCertificateId(regionalId(account, casId))));
        AlibabaClients.call(account, ALB, bindAction(), () -> alb.updateListenerAttributeWithOptions(request, clients.runtime()));
    }

    @Override
    protected void unbind(AlibabaAccount account, Listener listener) {
        throw new AlibabaApiException("an HTTPS listener cannot be left without a certificate", bindAction(), null, false);
    }

    // ---- the certificate store

    @Override
    protected Set<String> casIdsInUse(AlibabaAccount account) {
        Set<String> inUse = new HashSet<>();
        for (var listener : httpsListeners(account)) {
            certificates(account, listener.getListenerId()).forEach(c -> inUse.add(casIdIn(c.getCertificateId())));
        }
        return inUse;
    }
}
