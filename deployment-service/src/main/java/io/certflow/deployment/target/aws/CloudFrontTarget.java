package io.certflow.deployment.target.aws;

import io.certflow.deployment.target.CertificateBundle;
import io.certflow.deployment.target.DeploymentOutcome;
import io.certflow.deployment.target.DiscoveredResource;
import io.certflow.deployment.target.PreviousCertificate;
import io.certflow.deployment.target.ReadBack;
import io.certflow.deployment.target.ServedCertificate;
import io.certflow.deployment.target.TargetSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.cloudfront.model.DistributionList;
import software.amazon.awssdk.services.cloudfront.model.DistributionSummary;
import software.amazon.awssdk.services.cloudfront.model.GetDistributionConfigResponse;
import software.amazon.awssdk.services.cloudfront.model.ViewerCertificate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Deploys to an Amazon CloudFront distribution ({@code aws-cloudfront}): imports the version into ACM in us-east-1 (the
 * only region CloudFront takes certificates from) once per credential, points the distribution's viewer certificate
 * at it (SNI, at least TLSv1.2_2021) with {@code UpdateDistribution} under the configuration's ETag, and proves it with
 * {@code GetDistribution} (the distribution names the new ARN, and that ARN holds the new serial in ACM). If the
 * distribution ends up with anything else, its previous viewer certificate is put back. A TLS handshake with the
 * distribution is not the proof: CloudFront takes minutes to spread a change to its edges.
 */
public class CloudFrontTarget extends AwsTarget<CloudFrontTarget.Config> {

    /** The resource type name. */
    public static final String TYPE = "aws-cloudfront";

    private static final Logger log = LoggerFactory.getLogger(CloudFrontTarget.class);
    private static final Pattern DISTRIBUTION_ID = Pattern.compile("[A-Z0-9]{1,64}");
    /** Security policies at least as strict as the one certflow sets; a distribution that has one keeps it. */
    private static final Set<String> STRICT_POLICIES = Set.of("TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025");
    private static final String POLICY = "TLSv1.2_2021";
    private static final int UPDATE_ATTEMPTS = 3;

    /**
     * The settings of one distribution.
     *
     * @param distributionId the distribution's id, e.g. {@code EDFDVBD6EXAMPLE}
     */
    public record Config(String distributionId) {
    }

    public CloudFrontTarget(AwsTargetProperties properties, AcmCertificates acm) {
        super(TYPE, "AWS CloudFront", properties, acm);
    }

    @Override
    protected Config parse(Map<String, String> config) {
        TargetSettings settings = new TargetSettings(config, Set.of("distributionId"));
        String id = settings.value("distributionId");
        if (id == null) {
            settings.problem("'distributionId' is required (the CloudFront distribution id, e.g. EDFDVBD6EXAMPLE)");
        } else if (!DISTRIBUTION_ID.matcher(id).matches()) {
            settings.problem("'distributionId' is not a CloudFront distribution id (upper-case letters and digits)");
        }
        settings.check(TYPE);
        return new Config(id);
    }

    @Override
    protected List<DiscoveredResource> list(AwsClients clients) {
        List<DiscoveredResource> found = new ArrayList<>();
        String marker = null;
        do {
            String from = marker;
            DistributionList page = clients.cloudFront().listDistributions(r -> r.marker(from).maxItems("100"))
                    .distributionList();
            if (page.hasItems()) {
                for (DistributionSummary d : page.items()) {
                    List<String> aliases = d.aliases() != null && d.aliases().hasItems() ? d.aliases().items() : List.of();
                    String name = (aliases.isEmpty() ? d.domainName() : aliases.get(0)) + " (" + d.id() + ")";
                    found.add(new DiscoveredResource(d.id(), name, aliases, Map.of("distributionId", d.id())));
                }
            }
            marker = Boolean.TRUE.equals(page.isTruncated()) ? page.nextMarker() : null;
        } while (marker != null && !marker.isEmpty());
        return found;
    }

    @Override
    protected ReadBack read(AwsClients clients, Config config) {
        return readViewer(clients, viewer(clients, config));
    }

    @Override
    protected DeploymentOutcome install(AwsClients clients, Config config, CertificateBundle bundle, String wanted) {
        CloudFrontClient cloudFront = clients.cloudFront();
        String id = config.distributionId();
        GetDistributionConfigResponse current;
        try {
            current = cloudFront.getDistributionConfig(r -> r.id(id));
        } catch (SdkException e) {
            AwsFailure failure = AwsFailure.of("CloudFront GetDistributionConfig", e);
            return outcome(failure, failure.is("NoSuchDistribution")
                    ? "nothing deployed: distribution " + id + " no longer exists" : "nothing deployed");
        }
        ViewerCertificate before = current.distributionConfig().viewerCertificate();
        String arn;
        try {
            arn = acm.importOnce(clients, AwsClients.CLOUDFRONT_REGION, bundle);
        } catch (SdkException e) {
            return outcome(AwsFailure.of("ACM ImportCertificate (us-east-1)", e), "nothing deployed");
        }
        PreviousCertificate previous = previous(clients, before);
        AwsFailure updateFailure = null;
        if (!arn.equals(before.acmCertificateArn())) {
            ViewerCertificate next = ViewerCertificate.builder()
                    .acmCertificateArn(arn)
                    .sslSupportMethod(dedicatedIp(before) ? "vip" : "sni-only")
                    .minimumProtocolVersion(STRICT_POLICIES.contains(before.minimumProtocolVersionAsString())
                            ? before.minimumProtocolVersionAsString() : POLICY)
                    .cloudFrontDefaultCertificate(false)
                    .build();
            try {
                cloudFront.updateDistribution(r -> r.id(id).ifMatch(current.eTag())
                        .distributionConfig(current.distributionConfig().toBuilder().viewerCertificate(next).build()));
            } catch (SdkException e) {
                updateFailure = AwsFailure.of("CloudFront UpdateDistribution", e);
                log.warn("UpdateDistribution of {} failed: {}", id, updateFailure.describe());
            }
        }
        // proof: what the distribution names now, whatever UpdateDistribution answered
        ViewerCertificate after;
        try {
            after = viewer(clients, config);
        } catch (SdkException e) {
            AwsFailure readFailure = AwsFailure.of("CloudFront GetDistribution", e);
            if (updateFailure != null) {
                return outcome(updateFailure, "not deployed (and reading the distribution back failed too: "
                        + readFailure.describe() + ")");
            }
            String message = "distribution " + id + " was updated but cannot be read back: " + readFailure.describe();
            return readFailure.retryable() ? DeploymentOutcome.unreachable(message)
                    : DeploymentOutcome.failed(null, message, previous);
        }
        if (arn.equals(after.acmCertificateArn())) {
            ServedCertificate served;
            try {
                served = acm.describe(clients, arn);
            } catch (SdkException e) {
                AwsFailure readFailure = AwsFailure.of("ACM DescribeCertificate (us-east-1)", e);
                String message = "distribution " + id + " uses " + arn + " but ACM cannot tell its serial: "
                        + readFailure.describe();
                return readFailure.retryable() ? DeploymentOutcome.unreachable(message)
                        : DeploymentOutcome.failed(null, message, previous);
            }
            if (wanted.equals(served.serialNumber())) {
                String removed = acm.removeOld(clients, AwsClients.CLOUDFRONT_REGION, arn);
                return DeploymentOutcome.succeeded(wanted, "CloudFront distribution " + id + " uses ACM certificate "
                        + arn + " (serial " + wanted + ")" + (updateFailure == null ? ""
                        : " although UpdateDistribution answered " + updateFailure.code()) + removed, previous);
            }
            return rollBack(clients, config, before, previous, "ACM certificate " + arn + " holds serial "
                    + served.serialNumber() + ", not " + wanted);
        }
        if (updateFailure != null && sameViewer(after, before)) {
            String message = "not deployed: " + updateFailure.describe() + "; nothing changed, the distribution still uses "
                    + describe(before);
            return updateFailure.retryable() ? DeploymentOutcome.unreachable(message)
                    : DeploymentOutcome.failed(servedSerial(clients, before), message, null);
        }
        return rollBack(clients, config, before, previous, "after UpdateDistribution the distribution uses "
                + describe(after) + " instead of " + arn);
    }

    @Override
    protected DeploymentOutcome restoreOn(AwsClients clients, Config config, Map<String, String> reference) {
        ViewerCertificate wanted = fromReference(reference);
        String result = putViewer(clients, config, wanted);
        if (result != null) {
            return DeploymentOutcome.failed(null, "restoring " + describe(wanted) + " failed: " + result, null);
        }
        ViewerCertificate after = viewer(clients, config);
        if (sameViewer(after, wanted)) {
            return DeploymentOutcome.succeeded(servedSerial(clients, after), "distribution " + config.distributionId()
                    + " uses " + describe(after) + " again", null);
        }
        return DeploymentOutcome.failed(servedSerial(clients, after), "restored " + describe(wanted) + " but the distribution uses "
                + describe(after), null);
    }

    private DeploymentOutcome rollBack(AwsClients clients, Config config, ViewerCertificate before,
                                       PreviousCertificate previous, String reason) {
        log.warn("distribution {}: {}; putting back {}", config.distributionId(), reason, describe(before));
        String failure = putViewer(clients, config, before);
        if (failure != null) {
            return DeploymentOutcome.failed(null, reason + "; putting back " + describe(before) + " FAILED: " + failure, previous);
        }
        try {
            ViewerCertificate now = viewer(clients, config);
            if (sameViewer(now, before)) {
                return DeploymentOutcome.rolledBack(servedSerial(clients, now), reason + "; the previous certificate ("
                        + describe(before) + ") was put back");
            }
            return DeploymentOutcome.failed(servedSerial(clients, now), reason + "; after putting back the previous "
                    + "certificate the distribution uses " + describe(now), previous);
        } catch (SdkException e) {
            return DeploymentOutcome.failed(null, reason + "; the previous certificate was put back but cannot be read back: "
                    + AwsFailure.of("CloudFront GetDistribution", e).describe(), previous);
        }
    }

    /** Sets the viewer certificate under a fresh ETag (again if another change came first); null when done, else why not. */
    private static String putViewer(AwsClients clients, Config config, ViewerCertificate viewer) {
        AwsFailure last = null;
        for (int attempt = 1; attempt <= UPDATE_ATTEMPTS; attempt++) {
            try {
                GetDistributionConfigResponse now = clients.cloudFront().getDistributionConfig(r -> r.id(config.distributionId()));
                if (sameViewer(now.distributionConfig().viewerCertificate(), viewer)) {
                    return null;
                }
                clients.cloudFront().updateDistribution(r -> r.id(config.distributionId()).ifMatch(now.eTag())
                        .distributionConfig(now.distributionConfig().toBuilder().viewerCertificate(viewer).build()));
                return null;
            } catch (SdkException e) {
                last = AwsFailure.of("CloudFront UpdateDistribution", e);
                if (!last.retryable()) {
                    break;
                }
            }
        }
        return last.describe();
    }

    private static ViewerCertificate viewer(AwsClients clients, Config config) {
        ViewerCertificate viewer = clients.cloudFront().getDistribution(r -> r.id(config.distributionId()))
                .distribution().distributionConfig().viewerCertificate();
        return viewer == null ? ViewerCertificate.builder().cloudFrontDefaultCertificate(true).build() : viewer;
    }

    private ReadBack readViewer(AwsClients clients, ViewerCertificate viewer) {
        if (AcmCertificates.isAcmArn(viewer.acmCertificateArn())) {
            return ReadBack.of(acm.describe(clients, viewer.acmCertificateArn()));
        }
        return ReadBack.unknown("the distribution uses " + describe(viewer) + ", which certflow does not read");
    }

    private String servedSerial(AwsClients clients, ViewerCertificate viewer) {
        try {
            return readViewer(clients, viewer).serialNumber().orElse(null);
        } catch (SdkException e) {
            return null;
        }
    }

    private PreviousCertificate previous(AwsClients clients, ViewerCertificate before) {
        Map<String, String> reference = new LinkedHashMap<>();
        reference.put("acmCertificateArn", before.acmCertificateArn());
        reference.put("iamCertificateId", before.iamCertificateId());
        reference.put("cloudFrontDefaultCertificate", Boolean.TRUE.equals(before.cloudFrontDefaultCertificate()) ? "true" : null);
        reference.put("sslSupportMethod", before.sslSupportMethodAsString());
        reference.put("minimumProtocolVersion", before.minimumProtocolVersionAsString());
        Optional<String> pem = AcmCertificates.isAcmArn(before.acmCertificateArn())
                ? acm.pem(clients, before.acmCertificateArn()) : Optional.empty();
        return PreviousAwsCertificate.of(reference, pem);
    }

    private static ViewerCertificate fromReference(Map<String, String> reference) {
        return ViewerCertificate.builder()
                .acmCertificateArn(reference.get("acmCertificateArn"))
                .iamCertificateId(reference.get("iamCertificateId"))
                .cloudFrontDefaultCertificate("true".equals(reference.get("cloudFrontDefaultCertificate")))
                .sslSupportMethod(reference.get("sslSupportMethod"))
                .minimumProtocolVersion(reference.get("minimumProtocolVersion"))
                .build();
    }

    /**
     * Whether the distribution served its own certificate from dedicated IP addresses (a paid choice that stays); the
     * default certificate reads as {@code vip} too, but means nothing then.
     */
    private static boolean dedicatedIp(ViewerCertificate viewer) {
        return "vip".equals(viewer.sslSupportMethodAsString()) && !Boolean.TRUE.equals(viewer.cloudFrontDefaultCertificate())
                && (viewer.acmCertificateArn() != null || viewer.iamCertificateId() != null);
    }

    private static boolean sameViewer(ViewerCertificate a, ViewerCertificate b) {
        return Objects.equals(a.acmCertificateArn(), b.acmCertificateArn())
                && Objects.equals(a.iamCertificateId(), b.iamCertificateId())
                && Boolean.TRUE.equals(a.cloudFrontDefaultCertificate()) == Boolean.TRUE.equals(b.cloudFrontDefaultCertificate());
    }

    private static String describe(ViewerCertificate viewer) {
        if (viewer.acmCertificateArn() != null) {
            return "ACM certificate " + viewer.acmCertificateArn();
        }
        if (viewer.iamCertificateId() != null) {
            return "IAM server certificate " + viewer.iamCertificateId();
        }
        return "CloudFront's default certificate (*.cloudfront.net)";
    }
}
