package io.certflow.deployment.target.alibaba;

import io.certflow.deployment.target.CloudCertificateLedger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.certflow.deployment.target.alibaba.AlibabaClients.objects;
import static io.certflow.deployment.target.alibaba.AlibabaClients.object;
import static io.certflow.deployment.target.alibaba.AlibabaClients.text;

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
        for (Map<String, Object> domain : objects(object(body.get("Domains")).get("PageData"))) {
            listed.add(new Listed(text(domain.get("DomainName")), "on".equalsIgnoreCase(text(domain.get("SSLProtocol")))));
        }
        Object total = body.get("TotalCount");
        return new ListedPage(listed, total instanceof Number n ? n.longValue() : parseLong(text(total)));
    }

    @Override
    protected DomainCertificate describe(AlibabaAccount account, String domain) {
        Map<String, Object> body = call(account, "DescribeDcdnDomainCertificateInfo", Map.of("DomainName", domain));
        List<Map<String, Object>> infos = objects(object(body.get("CertInfos")).get("CertInfo"));
        Map<String, Object> info = infos.stream().filter(i -> domain.equalsIgnoreCase(text(i.get("DomainName"))))
                .findFirst().orElse(infos.isEmpty() ? null : infos.get(0));
        if (info == null) {
            return DomainCertificate.off();
        }
        return DomainCertificate.of("on".equalsIgnoreCase(text(info.get("SSLProtocol"))), text(info.get("CertType")),
                text(info.get("CertId")), text(info.get("CertName")), text(info.get("SSLPub")));
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
        return clients.rpc(account, clients.dcdn(account), DCDN, VERSION, action, query);
    }

    private static long parseLong(String value) {
        try {
            return value == null ? 0 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
