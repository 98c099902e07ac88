package io.certflow.deployment.target.aws;

import io.certflow.deployment.target.CertificateBundle;
import io.certflow.deployment.target.TargetAccess;
import io.certflow.deployment.testing.InMemoryCloudCertificateLedger;
import io.certflow.deployment.testing.TestCertificates;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * One AWS account as the AWS target tests see it: the {@link FakeAws} that plays it, an access key it accepts, the
 * credential certflow stores for it (pointing at the fake), and the ledger and ACM upload path the targets share.
 */
final class AwsTestAccount implements AutoCloseable {

    static final String KEY_ID = "AKIAIOSFODNN7EXAMPLE";
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    static final String REGION = "eu-west-1";

    final FakeAws aws;
    final InMemoryCloudCertificateLedger ledger = new InMemoryCloudCertificateLedger();
    final AwsTargetProperties properties;
    final AcmCertificates acm;

    AwsTestAccount(int keep) throws IOException {
        aws = new FakeAws().key(KEY_ID, SECRET);
        // one SDK attempt per call: a throttled or failing call shows at once (the engine retries with backoff)
        properties = new AwsTargetProperties(true, Duration.ofSeconds(10), 1, keep);
        acm = new AcmCertificates(ledger, () -> keep);
    }

    /** The stored credential {@code cred-1}: the key above, region eu-west-1, the fake as endpoint. */
    TargetAccess access() {
        return access(SECRET, Map.of());
    }

    TargetAccess access(String secret, Map<String, String> extraSettings) {
        Map<String, String> settings = new HashMap<>(Map.of("accessKeyId", KEY_ID, "region", REGION,
                "endpoint", aws.endpoint().toString()));
        settings.putAll(extraSettings);
        return new TargetAccess("cred-1", settings, Map.of("secretAccessKey", secret));
    }

    /** The ledger's key of this credential's imports in {@code region}. */
    static String ledgerKey(String region) {
        return "cred-1@" + region;
    }

    static CertificateBundle bundle(TestCertificates.Issued issued) {
        return new CertificateBundle(issued.chainPem(), issued.keyPem());
    }

    /** Imports {@code issued} into the fake's ACM as someone else did (not through certflow). */
    FakeAws.AcmCertificate preexisting(String region, TestCertificates.Issued issued) {
        String leafPem = issued.chainPem().substring(0, issued.chainPem().indexOf("-----END CERTIFICATE-----")
                + "-----END CERTIFICATE-----".length()) + "\n";
        return aws.importCertificate(region, issued.certificate(), leafPem,
                issued.chainPem().substring(leafPem.length()).strip() + "\n");
    }

    @Override
    public void close() {
        aws.close();
    }
}
