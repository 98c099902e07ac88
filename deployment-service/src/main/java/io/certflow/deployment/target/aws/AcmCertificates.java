package io.certflow.deployment.target.aws;

import io.certflow.deployment.target.CertificateBundle;
import io.certflow.deployment.target.CloudCertificateLedger;
import io.certflow.deployment.target.PemCertificates;
import io.certflow.deployment.target.ServedCertificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.acm.model.CertificateDetail;
import software.amazon.awssdk.services.acm.model.GetCertificateResponse;
import software.amazon.awssdk.services.acm.model.ImportCertificateRequest;

import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.regex.Pattern;

/**
 * The one path by which the AWS targets put a certificate into AWS Certificate Manager and read it from there: a
 * version is imported once per credential and region (through the {@link CloudCertificateLedger}) and reused by every
 * CloudFront distribution and load balancer listener of that account; after a successful rotation the imports beyond
 * the newest few are deleted where no resource uses them any more (ACM refuses to delete a certificate in use: it is
 * kept, and tried again after the next rotation).
 */
public class AcmCertificates {

    private static final Logger log = LoggerFactory.getLogger(AcmCertificates.class);
    private static final Pattern ACM_ARN = Pattern.compile("arn:aws[a-z-]*:acm:([a-z0-9-]+):\\d{12}:certificate/[A-Za-z0-9-]+");

    private final CloudCertificateLedger ledger;
    private final IntSupplier keep;

    /**
     * @param ledger what was imported where
     * @param keep   how many imports per credential and region a rotation keeps (the newest)
     */
    public AcmCertificates(CloudCertificateLedger ledger, IntSupplier keep) {
        this.ledger = ledger;
        this.keep = keep;
    }

    /** How many imports per credential and region a rotation keeps. */
    public int keep() {
        return keep.getAsInt();
    }

    /** Whether {@code arn} is an ACM certificate ARN (not, say, an IAM server certificate). */
    public static boolean isAcmArn(String arn) {
        return arn != null && ACM_ARN.matcher(arn).matches();
    }

    /** The region of an ACM certificate ARN, if it is one. */
    public static Optional<String> regionOf(String arn) {
        var m = arn == null ? null : ACM_ARN.matcher(arn);
        return m != null && m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /**
     * The ARN of {@code bundle}'s version in ACM in {@code region}: the one this credential imported before, or a new
     * import (certificate, chain and key).
     *
     * @throws SdkException when ACM cannot be reached or refuses the import
     */
    public String importOnce(AwsClients clients, String region, CertificateBundle bundle) {
        AwsCredential credential = clients.credential();
        String serial = bundle.leafSerialNumber();
        return ledger.uploadOnce(credential.ledgerKey(region), serial, () -> {
            String arn = clients.acm(region).importCertificate(importRequest(bundle, null)).certificateArn();
            log.info("imported certificate {} into ACM in {} for credential {}: {}", serial, region,
                    credential.credentialId(), arn);
            return arn;
        });
    }

    /**
     * Imports {@code bundle} onto an existing ACM certificate (same ARN, new content), as ACM allows for imported
     * certificates; resources using the ARN take up the new version by themselves.
     */
    public void reimport(AwsClients clients, String arn, CertificateBundle bundle) {
        clients.acm(regionOf(arn).orElseThrow()).importCertificate(importRequest(bundle, arn));
    }

    /** What the ACM certificate {@code arn} is (serial, end, names). */
    public ServedCertificate describe(AwsClients clients, String arn) {
        CertificateDetail detail = clients.acm(regionOf(arn).orElseThrow())
                .describeCertificate(r -> r.certificateArn(arn)).certificate();
        return new ServedCertificate(PemCertificates.normalizeSerial(detail.serial()), detail.notAfter(),
                detail.hasSubjectAlternativeNames() ? detail.subjectAlternativeNames()
                        : detail.domainName() == null ? List.of() : List.of(detail.domainName()));
    }

    /** The PEM (leaf and chain) of an ACM certificate, or empty when ACM does not give it (no permission, not issued). */
    public Optional<String> pem(AwsClients clients, String arn) {
        try {
            GetCertificateResponse got = clients.acm(regionOf(arn).orElseThrow()).getCertificate(r -> r.certificateArn(arn));
            return Optional.ofNullable(got.certificate())
                    .map(leaf -> leaf.strip() + "\n" + (got.certificateChain() == null ? "" : got.certificateChain().strip() + "\n"));
        } catch (SdkException e) {
            log.info("cannot read the PEM of {}: {}", arn, AwsFailure.of("ACM GetCertificate", e).describe());
            return Optional.empty();
        }
    }

    /**
     * After a successful rotation: deletes this credential's imports in {@code region} beyond the newest {@code keep},
     * except {@code inUseNow}, and forgets those ACM no longer has. A certificate still in use (ACM says
     * {@code ResourceInUseException}) is kept. Never fails the deployment; says what it did.
     *
     * @return what was deleted and what was kept, for the outcome's message; empty when nothing was due
     */
    public String removeOld(AwsClients clients, String region, String inUseNow) {
        String key = clients.credential().ledgerKey(region);
        List<String> deleted = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        for (CloudCertificateLedger.Upload old : ledger.beyondNewest(key, keep.getAsInt())) {
            if (old.cloudCertificateId().equals(inUseNow)) {
                continue;
            }
            try {
                clients.acm(region).deleteCertificate(r -> r.certificateArn(old.cloudCertificateId()));
                ledger.forget(key, old.cloudCertificateId());
                deleted.add(old.serialNumber());
                log.info("deleted old certificate {} ({}) from ACM in {}", old.serialNumber(), old.cloudCertificateId(), region);
            } catch (SdkException e) {
                AwsFailure failure = AwsFailure.of("ACM DeleteCertificate", e);
                if (failure.is("ResourceNotFoundException")) {
                    ledger.forget(key, old.cloudCertificateId());
                } else if (failure.is("ResourceInUseException")) {
                    kept.add(old.serialNumber() + " (still in use)");
                } else {
                    log.warn("cannot delete old certificate {} from ACM: {}", old.cloudCertificateId(), failure.describe());
                    kept.add(old.serialNumber() + " (" + (failure.code() == null ? "no answer" : failure.code()) + ")");
                }
            }
        }
        if (deleted.isEmpty() && kept.isEmpty()) {
            return "";
        }
        return "; old ACM certificates" + (deleted.isEmpty() ? "" : " deleted: " + String.join(", ", deleted))
                + (kept.isEmpty() ? "" : (deleted.isEmpty() ? "" : ";") + " kept: " + String.join(", ", kept));
    }

    private static ImportCertificateRequest importRequest(CertificateBundle bundle, String arn) {
        List<X509Certificate> chain = bundle.chain();
        ImportCertificateRequest.Builder request = ImportCertificateRequest.builder()
                .certificate(SdkBytes.fromString(pem(chain.get(0)), StandardCharsets.US_ASCII))
                .privateKey(SdkBytes.fromString(bundle.privateKeyPem(), StandardCharsets.US_ASCII));
        if (chain.size() > 1) {
            StringBuilder intermediates = new StringBuilder();
            chain.subList(1, chain.size()).forEach(c -> intermediates.append(pem(c)));
            request.certificateChain(SdkBytes.fromString(intermediates.toString(), StandardCharsets.US_ASCII));
        }
        if (arn != null) {
            request.certificateArn(arn);
        }
        return request.build();
    }

    private static String pem(X509Certificate certificate) {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("the certificate cannot be encoded", e);
        }
    }
}
