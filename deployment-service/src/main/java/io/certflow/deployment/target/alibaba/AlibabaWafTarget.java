package io.certflow.deployment.target.alibaba;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.certflow.deployment.target.CloudCertificateLedger;
import io.certflow.deployment.target.DiscoveredResource;
import io.certflow.deployment.target.TargetResource;
import io.certflow.deployment.target.TargetSettings;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.certflow.deployment.target.alibaba.AlibabaClients.objects;
import static io.certflow.deployment.target.alibaba.AlibabaClients.object;
import static io.certflow.deployment.target.alibaba.AlibabaClients.text;

/**
 * Deploys to a domain protected by Alibaba Cloud WAF 3.0 in CNAME mode ({@code alibaba-waf}, API 2021-10-01). The
 * domain takes a certificate of the Certificate Management Service ({@link CasBoundTarget}): {@code ModifyDomain} with
 * the domain's {@code Listen} (its {@code CertId} as {@code <CertId>-<certificate region>}) and {@code Redirect} as
 * {@code DescribeDomainDetail} gave them (ModifyDomain replaces both whole: every other setting is sent back as it
 * was); {@code DescribeDomainDetail}'s {@code Listen.CertId} tells which certificate the domain uses and CAS tells its
 * serial. Discovery finds the account's WAF instance ({@code DescribeInstance}) and lists its domains
 * ({@code DescribeDomains}).
 *
 * <p>WAF's SDK artifact ({@code com.aliyun:waf_openapi20211001}) is not on Maven Central: the calls go through the
 * official OpenAPI runtime's generic call ({@link AlibabaClients#rpc}, the same ACS3-HMAC-SHA256 signer and transport
 * every product SDK uses) with the parameters as Alibaba documents them. WAF is called in the credential's
 * {@code certificateRegion} ({@code cn-hangzhou}: the Chinese mainland, {@code ap-southeast-1}: outside it), the site
 * whose CAS certificates it can use.
 */
public class AlibabaWafTarget extends CasBoundTarget<AlibabaWafTarget.WafDomain> {

    /** The resource type name. */
    public static final String TYPE = "alibaba-waf";
    /** The WAF instance. */
    public static final String INSTANCE_ID = "instanceId";
    /** The protected domain. */
    public static final String DOMAIN = "domain";

    private static final String WAF = "WAF";
    private static final String VERSION = "2021-10-01";
    private static final String INSTANCE_ID_PARAMETER = "InstanceId";
    private static final int MAX_PAGES = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One resource's settings.
     *
     * @param instanceId the WAF 3.0 instance, e.g. {@code waf_v3prepaid_public_cn-…}
     * @param domain     the domain as WAF names it (lower case; a wildcard starts with {@code *.})
     */
    public record WafDomain(String instanceId, String domain) implements Described {
        public String describe() {
            return "WAF domain " + domain;
        }
    }

    public AlibabaWafTarget(AlibabaClients clients, AlibabaProperties properties, CloudCertificateLedger ledger,
                            int keepCertificates) {
        super(TYPE, "Alibaba Cloud WAF 3.0 (CNAME access)", "ModifyDomain", "a WAF domain", clients, properties, ledger,
                keepCertificates);
    }

    @Override
    protected WafDomain parse(Map<String, String> config) {
        TargetSettings settings = new TargetSettings(config, Set.of(INSTANCE_ID, DOMAIN));
        String instance = settings.value(INSTANCE_ID);
        if (instance == null) {
            settings.problem("'" + INSTANCE_ID + "' is required (the WAF instance, waf_v3…; DescribeInstance tells it)");
        } else if (!instance.matches("[A-Za-z0-9_.-]{4,128}")) {
            settings.problem("'" + INSTANCE_ID + "' is not a WAF instance id");
        }
        String domain = settings.value(DOMAIN);
        if (domain == null) {
            settings.problem("'" + DOMAIN + "' is required (the domain WAF protects, e.g. www.example.com)");
        } else if (!domain.matches("(?i)(\\*\\.)?([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?\\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")) {
            settings.problem("'" + DOMAIN + "' is not a domain name");
        }
        settings.check(TYPE);
        return new WafDomain(instance, domain.toLowerCase(Locale.ROOT));
    }

    @Override
    public Optional<String> serverName(TargetResource resource) {
        return hostName(resource, DOMAIN);
    }

    // ---- discovery

    @Override
    protected List<DiscoveredResource> list(AlibabaAccount account) {
        Optional<String> instance = instance(account);
        if (instance.isEmpty()) {
            return List.of();
        }
        List<DiscoveredResource> found = new ArrayList<>();
        for (String domain : domains(account, instance.get())) {
            found.add(new DiscoveredResource(instance.get() + "/" + domain, domain + " (WAF)", List.of(domain),
                    Map.of(INSTANCE_ID, instance.get(), DOMAIN, domain)));
        }
        return found;
    }

    /** The account's WAF 3.0 instance in the credential's site, if it has one. */
    private Optional<String> instance(AlibabaAccount account) {
        String id = text(call(account, "DescribeInstance", Map.of()).get("InstanceId"));
        return id == null || id.isBlank() ? Optional.empty() : Optional.of(id);
    }

    private List<String> domains(AlibabaAccount account, String instanceId) {
        List<String> all = new ArrayList<>();
        for (int page = 1; page <= MAX_PAGES; page++) {
            Map<String, Object> body = call(account, "DescribeDomains", Map.of(INSTANCE_ID_PARAMETER, instanceId,
                    "PageNumber", String.valueOf(page), "PageSize", String.valueOf(properties.pageSize())));
            List<Map<String, Object>> domains = objects(body.get("Domains"));
            domains.stream().map(d -> text(d.get("Domain"))).filter(d -> d != null && !d.isBlank())
                    .map(d -> d.toLowerCase(Locale.ROOT)).forEach(all::add);
            long total = body.get("TotalCount") instanceof Number n ? n.longValue() : 0;
            if (domains.isEmpty() || (long) page * properties.pageSize() >= total) {
                break;
            }
        }
        return all;
    }

    // ---- the domain's certificate

    private Map<String, Object> detail(AlibabaAccount account, WafDomain config) {
        return call(account, "DescribeDomainDetail", Map.of(INSTANCE_ID_PARAMETER, config.instanceId(),
                "Domain", config.domain()));
    }

    @Override
    protected Bound bound(AlibabaAccount account, WafDomain config) {
        String certId = text(object(detail(account, config).get("Listen")).get("CertId"));
        return certId == null || certId.isBlank() ? Bound.none() : new Bound(casIdIn(certId), certId, null);
    }

    @Override
    protected void bind(AlibabaAccount account, WafDomain config, String casId) {
        Map<String, Object> detail = detail(account, config);
        Map<String, Object> listen = new LinkedHashMap<>(object(detail.get("Listen")));
        if (!(listen.get("HttpsPorts") instanceof List<?> ports) || ports.isEmpty()) {
            throw new AlibabaApiException(config.describe() + " has no HTTPS port: add one (e.g. 443) in the WAF console"
                    + " first", bindAction(), null, false);
        }
        listen.put("CertId", regionalId(account, casId));
        modify(account, config, listen, redirect(object(detail.get("Redirect"))));
    }

    @Override
    protected void unbind(AlibabaAccount account, WafDomain config) {
        throw new AlibabaApiException(config.describe() + " serves HTTPS: WAF does not let it be left without a"
                + " certificate", bindAction(), null, false);
    }

    private void modify(AlibabaAccount account, WafDomain config, Map<String, Object> listen, Map<String, Object> redirect) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put(INSTANCE_ID_PARAMETER, config.instanceId());
        query.put("Domain", config.domain());
        query.put("Listen", json(listen));
        query.put("Redirect", json(redirect));
        call(account, bindAction(), query);
    }

    /**
     * DescribeDomainDetail's {@code Redirect} in the form ModifyDomain takes: the back ends as addresses
     * ({@code Backends: [{"Backend": "1.2.3.4"}]} becomes {@code Backends: ["1.2.3.4"]}, likewise
     * {@code BackupBackends}); everything else as it is.
     */
    static Map<String, Object> redirect(Map<String, Object> described) {
        Map<String, Object> redirect = new LinkedHashMap<>(described);
        for (String key : List.of("Backends", "BackupBackends")) {
            if (described.get(key) instanceof List<?> backends) {
                redirect.put(key, backends.stream().map(b -> b instanceof Map<?, ?> m && m.containsKey("Backend")
                        ? m.get("Backend") : b).toList());
            }
        }
        return redirect;
    }

    private static String json(Map<String, Object> value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new AlibabaApiException("cannot write WAF's settings: " + e.getOriginalMessage(), "ModifyDomain", null,
                    false);
        }
    }

    @Override
    protected Set<String> casIdsInUse(AlibabaAccount account) {
        Set<String> inUse = new HashSet<>();
        Optional<String> instance = instance(account);
        if (instance.isPresent()) {
            for (String domain : domains(account, instance.get())) {
                Bound bound = bound(account, new WafDomain(instance.get(), domain));
                if (bound.casId() != null) {
                    inUse.add(bound.casId());
                }
            }
        }
        return inUse;
    }

    /** One WAF call, in the credential's site. */
    private Map<String, Object> call(AlibabaAccount account, String action, Map<String, String> query) {
        Map<String, String> withRegion = new LinkedHashMap<>(query);
        withRegion.put("RegionId", account.certificateRegion());
        return clients.rpc(account, clients.waf(account), WAF, VERSION, action, withRegion);
    }
}
