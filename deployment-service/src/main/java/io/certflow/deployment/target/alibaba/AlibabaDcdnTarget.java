package io.certflow.deployment.target.alibaba;

import com.aliyun.teaopenapi.models.OpenApiRequest;
import com.aliyun.teaopenapi.models.Params;
import io.certflow.deployment.target.CloudCertificateLedger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An Alibaba Cloud DCDN (Dynamic Route for CDN / Edge Security Acceleration) domain ({@code alibaba-dcdn}), API
 * 2018-01-15: {@code DescribeDcdnUserDomains} lists, {@code DescribeDcdnDomainCertificateInfo} reads back (its
 * {@code SSLPub} is the served PEM), {@code SetDcdnDomainSSLCertificate} changes. The DCDN SDK artifact
 * ({@code com.aliyun:dcdn20180115}) cannot be had from the build's registry, so the calls go through the official
 * OpenAPI runtime's generic call ({@code tea-openapi}'s {@code callApi}, the same signer and transport every product SDK
 * uses) with the parameters as Alibaba documents them. The rest is {@link AlibabaDomainTarget}.
 */
public class AlibabaDcdnTarget extends AlibabaDomainTarget {

    /** The resource type name. */
    public static final String TYPE = "alibaba-dcdn";

    private static final String DCDN = "DCDN";
    private static final String VERSION = "2018-01-15";

    public AlibabaDcdnTarget(AlibabaClients clients, AlibabaProperties properties, CloudCertificateLedger ledger,
                             int keepCertificates) {
        super(TYPE, "Alibaba Cloud DCDN", DCDN, clients, properties, ledger, keepCertificates);
    }

    @Override
    protected ListedPage listDomains(AlibabaAccount account, int page, int size) {
        Map<String, Object> body = call(account, "DescribeDcdnUserDomains",
                Map.of("PageNumber", String.valueOf(page), "PageSize", String.valueOf(size)));
        List<Listed> listed = new ArrayList<>();
        for (Map<String, Object> domain : list(map(body.get("Domains")).get("PageData"))) {
            listed.add(new Listed(string(domain.get("DomainName")), "on".equalsIgnoreCase(string(domain.get("SSLProtocol")))));
        }
        Object total = body.get("TotalCount");
        return new ListedPage(listed, total instanceof Number n ? n.longValue() : parseLong(string(total)));
    }

    @Override
    protected DomainCertificate describe(AlibabaAccount account, String domain) {
        Map<String, Object> body = call(account, "DescribeDcdnDomainCertificateInfo", Map.of("DomainName", domain));
        List<Map<String, Object>> infos = list(map(body.get("CertInfos")).get("CertInfo"));
        Map<String, Object> info = infos.stream().filter(i -> domain.equalsIgnoreCase(string(i.get("DomainName"))))
                .findFirst().orElse(infos.isEmpty() ? null : infos.get(0));
        if (info == null) {
            return DomainCertificate.off();
        }
        return DomainCertificate.of("on".equalsIgnoreCase(string(info.get("SSLProtocol"))), string(info.get("CertType")),
                string(info.get("CertId")), string(info.get("CertName")), string(info.get("SSLPub")));
    }

    @Override
    protected String setAction() {
        return "SetDcdnDomainSSLCertificate";
    }

    @Override
    protected void set(AlibabaAccount account, String domain, SslChange change) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("DomainName", domain);
        if (change instanceof SslChange.Cas cas) {
            query.put("SSLProtocol", "on");
            query.put("CertType", "cas");
            query.put("CertId", String.valueOf(cas.id()));
            query.put("CertRegion", cas.region());
            if (cas.name() != null) {
                query.put("CertName", cas.name());
            }
        } else if (change instanceof SslChange.Free) {
            throw new AlibabaApiException("DCDN has no free certificate to set back", setAction(), null, false);
        } else {
            query.put("SSLProtocol", "off");
        }
        call(account, setAction(), query);
    }

    /** One RPC call through the generic OpenAPI client; answers the response body. */
    private Map<String, Object> call(AlibabaAccount account, String action, Map<String, String> query) {
        com.aliyun.teaopenapi.Client client = clients.dcdn(account);
        Params params = new Params().setAction(action).setVersion(VERSION).setProtocol("HTTPS").setPathname("/")
                .setMethod("POST").setAuthType("AK").setStyle("RPC").setReqBodyType("formData").setBodyType("json");
        OpenApiRequest request = new OpenApiRequest().setQuery(new LinkedHashMap<>(query));
        Map<String, ?> answer = AlibabaClients.call(account, DCDN, action, () -> client.callApi(params, request, clients.runtime()));
        return map(answer.get("body"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        if (!(value instanceof List<?> l)) {
            return List.of();
        }
        return l.stream().filter(Map.class::isInstance).map(e -> (Map<String, Object>) e).toList();
    }

    private static String string(Object value) {
        return value == null ? null : String.valueOf(value);
    }

    private static long parseLong(String value) {
        try {
            return value == null ? 0 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
