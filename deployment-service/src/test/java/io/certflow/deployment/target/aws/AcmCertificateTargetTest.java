package io.certflow.deployment.target.aws;

import io.certflow.deployment.target.DeploymentOutcome;
import io.certflow.deployment.target.DiscoveredResource;
import io.certflow.deployment.target.TargetResource;
import io.certflow.deployment.testing.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.certflow.deployment.target.aws.AwsTestAccount.REGION;
import static io.certflow.deployment.target.aws.AwsTestAccount.bundle;
import static org.assertj.core.api.Assertions.assertThat;

/** The ACM target against {@link FakeAws}: re-import onto the same ARN, proof by serial, and what it cannot do. */
class AcmCertificateTargetTest {

    private static final String NAME = "gw.shop.example";

    private final TestCertificates.Issued old = TestCertificates.leaf(TestCertificates.randomSerial(), NAME);
    private AwsTestAccount account;
    private AcmCertificateTarget target;
    private FakeAws.AcmCertificate existing;

    @BeforeEach
    void start() throws Exception {
        account = new AwsTestAccount(2);
        target = new AcmCertificateTarget(account.properties, account.acm, account.ledger);
        existing = account.preexisting(REGION, old);
    }

    @AfterEach
    void stop() {
        assertThat(account.aws.problems()).isEmpty();
        account.close();
    }

    private TargetResource certificate(String arn) {
        return new TargetResource("r-acm", "gateway", AcmCertificateTarget.TYPE, Map.of("certificateArn", arn),
                List.of(NAME), account.access());
    }

    @Test
    void listsTheAccountsImportedCertificatesButNotCertflowsOwnImports() {
        account.ledger.uploadOnce(AwsTestAccount.ledgerKey(REGION), "abc",
                () -> account.preexisting(REGION, TestCertificates.leaf(TestCertificates.randomSerial(), NAME)).arn);

        List<DiscoveredResource> found = target.discover(account.access());

        assertThat(found).singleElement().satisfies(r -> {
            assertThat(r.externalId()).isEqualTo(existing.arn);
            assertThat(r.domains()).containsExactly(NAME);
            assertThat(r.name()).isEqualTo(NAME + " (ACM eu-west-1)");
        });
    }

    @Test
    void reimportsOntoTheSameArnAndProvesTheSerial() {
        TestCertificates.Issued next = TestCertificates.leaf(TestCertificates.randomSerial(), NAME);

        DeploymentOutcome outcome = target.deploy(certificate(existing.arn), bundle(next));

        assertThat(outcome.succeeded()).as(outcome.message()).isTrue();
        assertThat(account.aws.certificate(existing.arn).serialHex()).isEqualTo(next.serialHex());
        assertThat(account.aws.certificates()).hasSize(1);
        assertThat(outcome.previous().serialNumber()).contains(old.serialHex());
        assertThat(target.readBack(certificate(existing.arn)).serialNumber()).contains(next.serialHex());
        assertThat(target.restore(certificate(existing.arn), outcome.previous()).message())
                .contains("ACM does not hand back the private key");
    }

    @Test
    void aKeyThatDoesNotMatchIsRefusedByAcmAndNothingChanges() {
        TestCertificates.Issued next = TestCertificates.leaf(TestCertificates.randomSerial(), NAME);
        TestCertificates.Issued other = TestCertificates.leaf(TestCertificates.randomSerial(), NAME);

        DeploymentOutcome outcome = target.deploy(certificate(existing.arn),
                new io.certflow.deployment.target.CertificateBundle(next.chainPem(), other.keyPem()));

        assertThat(outcome.status()).isEqualTo(DeploymentOutcome.Status.FAILED);
        assertThat(outcome.retryable()).isFalse();
        assertThat(outcome.message()).contains("ValidationException").contains("does not match the certificate");
        assertThat(account.aws.certificate(existing.arn).serialHex()).isEqualTo(old.serialHex());
    }
}
