package io.certflow.deployment.target.alibaba;

import com.aliyun.oss.OSS;
import com.aliyun.oss.model.AddBucketCnameRequest;
import com.aliyun.oss.model.Bucket;
import com.aliyun.oss.model.BucketList;
import com.aliyun.oss.model.CertificateConfiguration;
import com.aliyun.oss.model.CnameConfiguration;
import com.aliyun.oss.model.ListBucketsRequest;
import io.certflow.deployment.target.CloudCertificateLedger;
import io.certflow.deployment.target.DiscoveredResource;
import io.certflow.deployment.target.TargetResource;
import io.certflow.deployment.target.TargetSettings;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Deploys to a custom domain of an Alibaba Cloud OSS bucket ({@code alibaba-oss}), through the official OSS SDK
 * ({@code com.aliyun.oss:aliyun-sdk-oss}, signed with OSS's own signature, the SDK's default V1
 * {@code Authorization: OSS <AccessKeyId>:<signature>}). The domain takes a certificate of the Certificate Management
 * Service ({@link CasBoundTarget}): {@code PutCname} with {@code CertificateConfiguration} ({@code CertId} as
 * {@code <CertId>-<certificate region>}, {@code Force} so that OSS does not insist on the previous id), and
 * {@code ListCname} tells which certificate the domain uses ({@code Certificate/CertId}, {@code Status}); CAS tells its
 * serial. Discovery lists the account's buckets ({@code ListBuckets}) and each one's custom domains.
 */
public class AlibabaOssTarget extends CasBoundTarget<AlibabaOssTarget.CustomDomain> {

    /** The resource type name. */
    public static final String TYPE = "alibaba-oss";
    /** The bucket the domain is bound to. */
    public static final String BUCKET = "bucket";
    /** The custom domain. */
    public static final String DOMAIN = "domain";
    /** The bucket's region, when it is not the credential's {@code regionId}. */
    public static final String BUCKET_REGION = "bucketRegion";

    private static final int MAX_PAGES = 100;

    /**
     * One resource's settings.
     *
     * @param bucket       the bucket
     * @param domain       the custom domain bound to it (lower case)
     * @param bucketRegion the bucket's region, or null for the credential's
     */
    public record CustomDomain(String bucket, String domain, String bucketRegion) implements Described {
        public String describe() {
            return "OSS custom domain " + domain + " of bucket " + bucket;
        }

        String region(AlibabaAccount account) {
            return bucketRegion == null ? account.regionId() : bucketRegion;
        }
    }

    public AlibabaOssTarget(AlibabaClients clients, AlibabaProperties properties, CloudCertificateLedger ledger,
                            int keepCertificates) {
        super(TYPE, "Alibaba Cloud OSS (bucket custom domain)", "PutCname", "an OSS custom domain", clients, properties,
                ledger, keepCertificates);
    }

    @Override
    protected CustomDomain parse(Map<String, String> config) {
        TargetSettings settings = new TargetSettings(config, Set.of(BUCKET, DOMAIN, BUCKET_REGION));
        String bucket = settings.value(BUCKET);
        if (bucket == null) {
            settings.problem("'" + BUCKET + "' is required (the bucket the custom domain is bound to)");
        } else if (!bucket.matches("[a-z0-9][a-z0-9-]{1,61}[a-z0-9]")) {
            settings.problem("'" + BUCKET + "' is not a bucket name (3-63 lower-case letters, digits and hyphens)");
        }
        String domain = settings.serverName(DOMAIN, "the bucket");
        String region = settings.value(BUCKET_REGION);
        if (region != null && !region.matches("[a-z]{2,}(-[a-z0-9]+)+")) {
            settings.problem("'" + BUCKET_REGION + "' is not a region id (e.g. cn-hangzhou)");
        }
        settings.check(TYPE);
        return new CustomDomain(bucket, domain, region);
    }

    @Override
    public Optional<String> serverName(TargetResource resource) {
        return hostName(resource, DOMAIN);
    }

    // ---- discovery

    @Override
    protected List<DiscoveredResource> list(AlibabaAccount account) {
        List<DiscoveredResource> found = new ArrayList<>();
        for (Bucket bucket : buckets(account)) {
            String region = region(account, bucket);
            for (CnameConfiguration cname : cnames(account, bucket.getName(), region)) {
                String domain = cname.getDomain().toLowerCase(Locale.ROOT);
                Map<String, String> config = region.equals(account.regionId())
                        ? Map.of(BUCKET, bucket.getName(), DOMAIN, domain)
                        : Map.of(BUCKET, bucket.getName(), DOMAIN, domain, BUCKET_REGION, region);
                found.add(new DiscoveredResource(bucket.getName() + "/" + domain, domain + " (OSS bucket "
                        + bucket.getName() + ")", List.of(domain), config));
            }
        }
        return found;
    }

    /** The account's buckets, every region. */
    private List<Bucket> buckets(AlibabaAccount account) {
        List<Bucket> all = new ArrayList<>();
        String marker = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            OSS oss = clients.oss(account, account.regionId());
            ListBucketsRequest request = new ListBucketsRequest(null, marker, properties.pageSize());
            BucketList list = AlibabaClients.callOss(account, oss, "ListBuckets", () -> oss.listBuckets(request));
            all.addAll(list.getBucketList());
            marker = list.getNextMarker();
            if (!list.isTruncated() || marker == null || marker.isBlank()) {
                break;
            }
        }
        return all;
    }

    /** The bucket's region: {@code Region}, else its {@code Location} without {@code oss-}. */
    private static String region(AlibabaAccount account, Bucket bucket) {
        if (bucket.getRegion() != null && !bucket.getRegion().isBlank()) {
            return bucket.getRegion();
        }
        String location = bucket.getLocation();
        return location == null || location.isBlank() ? account.regionId() : location.replaceFirst("^oss-", "");
    }

    private List<CnameConfiguration> cnames(AlibabaAccount account, String bucket, String region) {
        OSS oss = clients.oss(account, region);
        List<CnameConfiguration> cnames = AlibabaClients.callOss(account, oss, "ListCname", () -> oss.getBucketCname(bucket));
        return cnames == null ? List.of() : cnames.stream().filter(c -> c.getDomain() != null && !c.getDomain().isBlank())
                .toList();
    }

    // ---- the domain's certificate

    @Override
    protected Bound bound(AlibabaAccount account, CustomDomain config) {
        CnameConfiguration cname = cnames(account, config.bucket(), config.region(account)).stream()
                .filter(c -> c.getDomain().equalsIgnoreCase(config.domain())).findFirst()
                .orElseThrow(() -> new AlibabaApiException(config.describe() + " is not bound to the bucket any more "
                        + "(ListCname does not list it)", "ListCname", "CnameNotFound", false));
        String certId = cname.getCertId();
        if (certId == null || certId.isBlank()) {
            return Bound.none();
        }
        String status = cname.getCertStatus() == null ? null : cname.getCertStatus().toString();
        return new Bound(casIdIn(certId), certId, status == null || "Enabled".equalsIgnoreCase(status) ? null : status);
    }

    @Override
    protected void bind(AlibabaAccount account, CustomDomain config, String casId) {
        put(account, config, new CertificateConfiguration().withId(regionalId(account, casId)).withForceOverwriteCert(true));
    }

    @Override
    protected void unbind(AlibabaAccount account, CustomDomain config) {
        put(account, config, new CertificateConfiguration().withDeleteCertificate(true));
    }

    private void put(AlibabaAccount account, CustomDomain config, CertificateConfiguration certificate) {
        OSS oss = clients.oss(account, config.region(account));
        AddBucketCnameRequest request = new AddBucketCnameRequest(config.bucket()).withDomain(config.domain())
                .withCertificateConfiguration(certificate);
        AlibabaClients.callOss(account, oss, bindAction(), () -> oss.addBucketCname(request));
    }

    @Override
    protected Set<String> casIdsInUse(AlibabaAccount account) {
        Set<String> inUse = new HashSet<>();
        for (Bucket bucket : buckets(account)) {
            for (CnameConfiguration cname : cnames(account, bucket.getName(), region(account, bucket))) {
                String casId = casIdIn(cname.getCertId());
                if (casId != null) {
                    inUse.add(casId);
                }
            }
        }
        return inUse;
    }
}
