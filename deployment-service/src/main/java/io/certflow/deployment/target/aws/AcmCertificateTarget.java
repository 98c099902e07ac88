package io.certflow.deployment.target.aws;

import io.certflow.deployment.target.CertificateBundle;
import io.certflow.deployment.target.CloudCertificateLedger;
import io.certflow.deployment.target.DeploymentOutcome;
import io.certflow.deployment.target.DiscoveredResource;
import io.certflow.deployment.target.PreviousCertificate;
import io.certflow.deployment.target.ReadBack;
import io.certflow.deployment.target.ServedCertificate;
import io.certflow.deployment.target.TargetSettings;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.acm.model.CertificateDetail;
import software.amazon.awssdk.services.acm.model.CertificateSummary;
import software.amazon.awssdk.services.acm.model.CertificateType;
import software.amazon.awssdk.services.acm.model.KeyAlgorithm;
import software.amazon.awssdk.services.acm.model.ListCertificatesResponse;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Keeps one imported certificate of AWS Certificate Manager current ({@code aws-acm}), for AWS services that reference
 * an ACM ARN themselves (API Gateway custom domains, App Runner, a load balancer managed elsewhere…): every version is
 * re-imported onto the same ARN ({@code ImportCertificate} with {@code CertificateArn}), so whatever uses the ARN takes
 * it up, and {@code DescribeCertificate} proves the ARN holds the new serial. There is no rollback: ACM never hands a
 * private key back, so the previous version cannot be re-imported; a re-import ACM refuses changes nothing.
 */
public class AcmCertificateTarget extends AwsTarget<AcmCertificateTarget.Config> {

    /** The resource type name. */
    public static final String TYPE = "aws-acm";

    private static final Pattern ARN = Pattern.compile("arn:aws[a-z-]*:acm:[a-z0-9-]+:\\d{12}:certificate/[A-Za-z0-9-]+");

    private final CloudCertificateLedger ledger;

    /**
     * The settings of one ACM certificate.
     *
     * @param certificateArn the certificate's ARN (its region is where it is re-imported)
     */
    public record Config(String certificateArn) {
    }

    /**
     * @param ledger what certflow imported for the other AWS targets, left out of the listing (those are certflow's,
     *               not the account's)
     */
    public AcmCertificateTarget(AwsTargetProperties properties, AcmCertificates acm, CloudCertificateLedger ledger) {
        super(TYPE, "AWS Certificate Manager (imported certificate)", properties, acm);
        this.ledger = ledger;
    }

    @Override
    protected Config parse(Map<String, String> config) {
        TargetSettings settings = new TargetSettings(config, Set.of("certificateArn"));
        String arn = settings.value("certificateArn");
        if (arn == null) {
            settings.problem("'certificateArn' is required (arn:aws:acm:REGION:ACCOUNT:certificate/ID)");
        } else if (!ARN.matcher(arn).matches()) {
            settings.problem("'certificateArn' is not an ACM certificate ARN");
        }
        settings.check(TYPE);
        return new Config(arn);
    }

    @Override
    protected List<DiscoveredResource> list(AwsClients clients) {
        String region = clients.credential().region();
        Set<String> certflows = new HashSet<>();
        ledger.beyondNewest(clients.credential().ledgerKey(region), 0).forEach(u -> certflows.add(u.cloudCertificateId()));
        List<DiscoveredResource> found = new ArrayList<>();
        String token = null;
        do {
            String from = token;
            ListCertificatesResponse page = clients.acm(region).listCertificates(r -> r.nextToken(from).maxItems(100)
                    .includes(f -> f.keyTypes(KeyAlgorithm.knownValues())));
            for (CertificateSummary c : page.certificateSummaryList()) {
                if (c.type() != CertificateType.IMPORTED || certflows.contains(c.certificateArn())) {
                    continue;
                }
                List<String> names = c.hasSubjectAlternativeNameSummaries() ? c.subjectAlternativeNameSummaries()
                        : c.domainName() == null ? List.of() : List.of(c.domainName());
                found.add(new DiscoveredResource(c.certificateArn(), c.domainName() + " (ACM " + region + ")", names,
                        Map.of("certificateArn", c.certificateArn())));
            }
            token = page.nextToken();
        } while (token != null && !token.isEmpty());
        return found;
    }

    @Override
    protected ReadBack read(AwsClients clients, Config config) {
        return ReadBack.of(acm.describe(clients, config.certificateArn()));
    }

    @Override
    protected DeploymentOutcome install(AwsClients clients, Config config, CertificateBundle bundle, String wanted) {
        String arn = config.certificateArn();
        CertificateDetail detail;
        try {
            detail = clients.acm(AcmCertificates.regionOf(arn).orElseThrow())
                    .describeCertificate(r -> r.certificateArn(arn)).certificate();
        } catch (SdkException e) {
            AwsFailure failure = AwsFailure.of("ACM DescribeCertificate", e);
            return outcome(failure, failure.is("ResourceNotFoundException")
                    ? "nothing deployed: ACM certificate " + arn + " no longer exists" : "nothing deployed");
        }
        if (detail.type() != CertificateType.IMPORTED) {
            return DeploymentOutcome.failed(null, "nothing deployed: " + arn + " is " + detail.typeAsString()
                    + "; ACM only re-imports certificates that were imported", null);
        }
        PreviousCertificate previous = PreviousAwsCertificate.of(Map.of("certificateArn", arn), acm.pem(clients, arn));
        try {
            acm.reimport(clients, arn, bundle);
        } catch (SdkException e) {
            return outcome(AwsFailure.of("ACM ImportCertificate", e), "nothing deployed");
        }
        ServedCertificate now = acm.describe(clients, arn);
        if (wanted.equals(now.serialNumber())) {
            return DeploymentOutcome.succeeded(wanted, "ACM certificate " + arn + " holds " + wanted
                    + "; what uses the ARN takes it up", previous);
        }
        return DeploymentOutcome.failed(now.serialNumber(), "after the re-import ACM certificate " + arn + " holds "
                + now.serialNumber() + " instead of " + wanted + " (no rollback: ACM does not hand back the previous key)",
                previous);
    }

    @Override
    protected DeploymentOutcome restoreOn(AwsClients clients, Config config, Map<String, String> reference) {
        return DeploymentOutcome.failed(null, "nothing restored: ACM does not hand back the private key of the previous "
                + "version, so it cannot be re-imported; deploy the previous version from certflow instead", null);
    }
}
