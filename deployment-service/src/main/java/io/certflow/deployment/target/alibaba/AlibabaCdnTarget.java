package io.certflow.deployment.target.alibaba;

import com.aliyun.cdn20180510.models.DescribeDomainCertificateInfoRequest;
import com.aliyun.cdn20180510.models.DescribeDomainCertificateInfoResponseBody;
import com.aliyun.cdn20180510.models.DescribeUserDomainsRequest;
import com.aliyun.cdn20180510.models.DescribeUserDomainsResponseBody;
import com.aliyun.cdn20180510.models.SetCdnDomainSSLCertificateRequest;
import io.certflow.deployment.target.CloudCertificateLedger;

import java.util.List;

/**
 * An Alibaba Cloud CDN accelerated domain ({@code alibaba-cdn}), through the official CDN SDK (API 2018-05-10):
 * {@code DescribeUserDomains} lists, {@code DescribeDomainCertificateInfo} reads back, {@code SetCdnDomainSSLCertificate}
 * changes. The rest is {@link AlibabaDomainTarget}.
 */
public class AlibabaCdnTarget extends AlibabaDomainTarget {

    /** The resource type name. */
    public static final String TYPE = "alibaba-cdn";

    private static final String CDN = "CDN";

    public AlibabaCdnTarget(AlibabaClients clients, AlibabaProperties properties, CloudCertificateLedger ledger,
                            int keepCertificates) {
        super(TYPE, "Alibaba Cloud CDN", CDN, clients, properties, ledger, keepCertificates);
    }

    @Override
    protected ListedPage listDomains(AlibabaAccount account, int page, int size) {
        com.aliyun.cdn20180510.Client cdn = clients.cdn(account);
        DescribeUserDomainsRequest request = new DescribeUserDomainsRequest().setPageNumber(page).setPageSize(size);
        DescribeUserDomainsResponseBody body = AlibabaClients.call(account, CDN, "DescribeUserDomains",
                () -> cdn.describeUserDomainsWithOptions(request, clients.runtime())).getBody();
        List<DescribeUserDomainsResponseBody.DescribeUserDomainsResponseBodyDomainsPageData> data =
                body.getDomains() == null || body.getDomains().getPageData() == null ? List.of()
                        : body.getDomains().getPageData();
        return new ListedPage(data.stream().map(d -> new Listed(d.getDomainName(), "on".equalsIgnoreCase(d.getSslProtocol())))
                .toList(), body.getTotalCount() == null ? 0 : body.getTotalCount());
    }

    @Override
    protected DomainCertificate describe(AlibabaAccount account, String domain) {
        com.aliyun.cdn20180510.Client cdn = clients.cdn(account);
        DescribeDomainCertificateInfoRequest request = new DescribeDomainCertificateInfoRequest().setDomainName(domain);
        DescribeDomainCertificateInfoResponseBody body = AlibabaClients.call(account, CDN, "DescribeDomainCertificateInfo",
                () -> cdn.describeDomainCertificateInfoWithOptions(request, clients.runtime())).getBody();
        var infos = body.getCertInfos() == null || body.getCertInfos().getCertInfo() == null
                ? List.<DescribeDomainCertificateInfoResponseBody.DescribeDomainCertificateInfoResponseBodyCertInfosCertInfo>of()
                : body.getCertInfos().getCertInfo();
        var info = infos.stream().filter(i -> domain.equalsIgnoreCase(i.getDomainName())).findFirst()
                .orElse(infos.isEmpty() ? null : infos.get(0));
        if (info == null) {
            return DomainCertificate.off();
        }
        return DomainCertificate.of("on".equalsIgnoreCase(info.getServerCertificateStatus()), info.getCertType(),
                info.getCertId(), info.getCertName(), info.getServerCertificate());
    }

    @Override
    protected String setAction() {
        return "SetCdnDomainSSLCertificate";
    }

    @Override
    protected void set(AlibabaAccount account, String domain, SslChange change) {
        com.aliyun.cdn20180510.Client cdn = clients.cdn(account);
        SetCdnDomainSSLCertificateRequest request = new SetCdnDomainSSLCertificateRequest().setDomainName(domain);
        if (change instanceof SslChange.Cas cas) {
            request.setSSLProtocol("on").setCertType("cas").setCertId(cas.id()).setCertRegion(cas.region());
            if (cas.name() != null) {
                request.setCertName(cas.name());
            }
        } else if (change instanceof SslChange.Free) {
            request.setSSLProtocol("on").setCertType("free");
        } else {
            request.setSSLProtocol("off");
        }
        AlibabaClients.call(account, CDN, setAction(), () -> cdn.setCdnDomainSSLCertificateWithOptions(request, clients.runtime()));
    }
}
