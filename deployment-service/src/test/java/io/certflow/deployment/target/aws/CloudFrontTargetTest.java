package io.certflow.deployment.target.aws;

import io.certflow.deployment.target.DeploymentOutcome;
import io.certflow.deployment.target.DiscoveredResource;
import io.certflow.deployment.target.InvalidTargetConfigException;
import io.certflow.deployment.target.ReadBack;
import io.certflow.deployment.target.TargetAccess;
import io.certflow.deployment.target.TargetException;
import io.certflow.deployment.target.TargetResource;
import io.certflow.deployment.testing.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.certflow.deployment.target.aws.AwsTestAccount.KEY_ID;
import static io.certflow.deployment.target.aws.AwsTestAccount.SECRET;
import static io.certflow.deployment.target.aws.AwsTestAccount.bundle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The CloudFront target against {@link FakeAws}, which checks each request as AWS documents it (SigV4 recomputed by
 * the test's own verifier, CloudFront's REST-XML paths and ETags, ACM's JSON 1.1) and keeps the distributions and ACM
 * certificates, so each test asserts what a user would see in the console afterwards.
 */
class CloudFrontTargetTest {

    private static final String WWW = "www.shop.example";

    private final TestCertificates.Issued old = TestCertificates.leaf(TestCertificates.randomSerial(), WWW, "shop.example");
    private AwsTestAccount account;
    private CloudFrontTarget target;
    private FakeAws.AcmCertificate oldInAcm;

    @BeforeEach
    void start() throws Exception {
        account = new AwsTestAccount(2);
        target = new CloudFrontTarget(account.properties, account.acm);
        oldInAcm = account.preexisting("us-east-1", old);
        account.aws.distribution("EDFDVBD6EXAMPLE", oldInAcm.arn, WWW, "shop.example");
    }

    @AfterEach
    void stop() {
        assertThat(account.aws.problems()).as("requests that break AWS's documented format").isEmpty();
        assertThat(account.aws.bodies()).as("the secret key never travels").noneMatch(b -> b.contains(SECRET));
        account.close();
    }

    private TargetResource distribution(String id, TargetAccess access) {
        return new TargetResource("r-" + id, "cdn " + id, CloudFrontTarget.TYPE, Map.of("distributionId", id),
                List.of(WWW), access);
    }

    private TargetResource distribution(String id) {
        return distribution(id, account.access());
    }

    @Test
    void listsEveryDistributionWithItsAliasesPageByPage() {
        account.aws.distribution("E2QWRUHEXAMPLE", null);
        account.aws.distribution("E3ABCDEFEXAMPLE", oldInAcm.arn, "*.shop.example");

        List<DiscoveredResource> found = target.discover(account.access());

        assertThat(found).extracting(DiscoveredResource::externalId)
                .containsExactlyInAnyOrder("EDFDVBD6EXAMPLE", "E2QWRUHEXAMPLE", "E3ABCDEFEXAMPLE");
        DiscoveredResource shop = found.stream().filter(r -> r.externalId().equals("EDFDVBD6EXAMPLE")).findFirst().orElseThrow();
        assertThat(shop.domains()).containsExactly(WWW, "shop.example");
        assertThat(shop.config()).containsExactly(Map.entry("distributionId", "EDFDVBD6EXAMPLE"));
        assertThat(shop.name()).isEqualTo(WWW + " (EDFDVBD6EXAMPLE)");
        assertThat(found.stream().filter(r -> r.externalId().equals("E2QWRUHEXAMPLE")).findFirst().orElseThrow().domains()).isEmpty();
        assertThat(account.aws.count("ListDistributions")).as("two pages of two").isEqualTo(2);
        assertThat(account.aws.calls()).allMatch(c -> c.region().equals("us-east-1") && c.service().equals("cloudfront"));
    }

    @Test
    void importsIntoAcmInUsEast1AndProvesTheDistributionUsesTheNewCertificate() {
        TestCertificates.Issued next = TestCertificates.leaf(TestCertificates.randomSerial(), WWW, "shop.example");

        DeploymentOutcome outcome = target.deploy(distribution("EDFDVBD6EXAMPLE"), bundle(next));

        assertThat(outcome.succeeded()).as(outcome.message()).isTrue();
        assertThat(outcome.servedSerialNumber()).isEqualTo(next.serialHex());
        String arn = account.aws.distribution("EDFDVBD6EXAMPLE").acmCertificateArn();
        assertThat(arn).isNotEqualTo(oldInAcm.arn).startsWith("arn:aws:acm:us-east-1:123456789012:certificate/");
        FakeAws.AcmCertificate imported = account.aws.certificate(arn);
        assertThat(imported.serialHex()).isEqualTo(next.serialHex());
        assertThat(imported.chainPem).as("the chain goes with the certificate").contains("BEGIN CERTIFICATE");
        assertThat(outcome.message()).contains(arn);
        // the credential's region is eu-west-1, but CloudFront only takes certificates from ACM in us-east-1
        assertThat(account.aws.calls()).filteredOn(c -> c.operation().equals("ImportCertificate"))
                .singleElement().satisfies(c -> assertThat(c.region()).isEqualTo("us-east-1"));
        assertThat(account.aws.calls()).filteredOn(c -> c.operation().equals("UpdateDistribution")).hasSize(1);
        assertThat(account.aws.calls()).allMatch(c -> c.accessKeyId().equals(KEY_ID));
        assertThat(outcome.previous().serialNumber()).contains(old.serialHex());
        assertThat(outcome.previous().privateKeyPem()).isNull();

        ReadBack served = target.readBack(distribution("EDFDVBD6EXAMPLE"));
        assertThat(served.serialNumber()).contains(next.serialHex());
        assertThat(served.served().dnsNames()).containsExactly(WWW, "shop.example");
        assertThat(served.served().notAfter()).isEqualTo(next.certificate().getNotAfter().toInstant());
    }

    @Test
    void setsSniAndAModernSecurityPolicyWhereTheDistributionHadTheDefaultCertificate() {
        account.aws.distribution("E2QWRUHEXAMPLE", null);

        DeploymentOutcome outcome = target.deploy(distribution("E2QWRUHEXAMPLE"),
                bundle(TestCertificates.leaf(TestCertificates.randomSerial(), WWW)));

        assertThat(outcome.succeeded()).as(outcome.message()).isTrue();
        String config = account.aws.distribution("E2QWRUHEXAMPLE").configXml;
        assertThat(config).contains("<SSLSupportMethod>sni-only</SSLSupportMethod>")
                .contains("<MinimumProtocolVersion>TLSv1.2_2021</MinimumProtocolVersion>")
                .contains("<CloudFrontDefaultCertificate>false</CloudFrontDefaultCertificate>");
        assertThat(outcome.previous().serialNumber()).isEmpty();
    }

    @Test
    void twoDistributionsOfOneCredentialShareOneImport() {
        account.aws.distribution("E2QWRUHEXAMPLE", oldInAcm.arn, WWW);
        TestCertificates.Issued next = TestCertificates.leaf(TestCertificates.randomSerial(), WWW, "shop.example");

        DeploymentOutcome first = target.deploy(distribution("EDFDVBD6EXAMPLE"), bundle(next));
        DeploymentOutcome second = target.deploy(distribution("E2QWRUHEXAMPLE"), bundle(next));

        assertThat(first.succeeded()).as(first.message()).isTrue();
        assertThat(second.succeeded()).as(second.message()).isTrue();
        assertThat(account.aws.count("ImportCertificate")).isEqualTo(1);
        assertThat(account.aws.distribution("E2QWRUHEXAMPLE").acmCertificateArn())
                .isEqualTo(account.aws.distribution("EDFDVBD6EXAMPLE").acmCertificateArn());
        // deploying the same version again changes nothing and proves it
        DeploymentOutcome again = target.deploy(distribution("EDFDVBD6EXAMPLE"), bundle(next));
        assertThat(again.succeeded()).as(again.message()).isTrue();
        assertThat(account.aws.count("ImportCertificate")).isEqualTo(1);
        assertThat(account.aws.count("UpdateDistribution")).isEqualTo(2);
    }

    @Test
    void aRotationDeletesTheImportsBeyondTheNewestTwoThatNoDistributionUses() {
        account.aws.distribution("E2QWRUHEXAMPLE", oldInAcm.arn, WWW);
        TestCertificates.Issued v1 = TestCertificates.leaf(TestCertificates.randomSerial(), WWW, "shop.example");
        TestCertificates.Issued v2 = TestCertificates.leaf(TestCertificates.randomSerial(), WWW, "shop.example");
        TestCertificates.Issued v3 = TestCertificates.leaf(TestCertificates.randomSerial(), WWW, "shop.example");

        // the second distribution stays on v1 while the first one rotates to v3
        assertThat(target.deploy(distribution("E2QWRUHEXAMPLE"), bundle(v1)).succeeded()).isTrue();
        assertThat(target.deploy(distribution("EDFDVBD6EXAMPLE"), bundle(v1)).succeeded()).isTrue();
        String v1Arn = account.aws.distribution("EDFDVBD6EXAMPLE").acmCertificateArn();
        assertThat(target.deploy(distribution("EDFDVBD6EXAMPLE"), bundle(v2)).succeeded()).isTrue();
        String v2Arn = account.aws.distribution("EDFDVBD6EXAMPLE").acmCertificateArn();
        DeploymentOutcome third = target.deploy(distribution("EDFDVBD6EXAMPLE"), bundle(v3));

        assertThat(third.succeeded()).as(third.message()).isTrue();
        assertThat(third.message()).contains("kept: " + v1.serialHex() + " (still in use)");
        assertThat(account.aws.certificate(v1Arn)).as("ACM refuses to delete a certificate in use").isNotNull();
        assertThat(account.ledger.uploads(AwsTestAccount.ledgerKey("us-east-1"))).isEqualTo(3);

        // once the second distribution moves on too, that rotation deletes v1
        DeploymentOutcome moved = target.deploy(distribution("E2QWRUHEXAMPLE"), bundle(v3));
        assertThat(moved.succeeded()).as(moved.message()).isTrue();
        assertThat(moved.message()).endsWith("old ACM certificates deleted: " + v1.serialHex());
        assertThat(account.aws.certificate(v1Arn)).isNull();
        assertThat(account.aws.certificate(v2Arn)).isNotNull();

        // and the next one v2: the newest two stay
        TestCertificates.Issued v4 = TestCertificates.leaf(TestCertificates.randomSerial(), WWW, "shop.example");
        DeploymentOutcome fourth = target.deploy(distribution("EDFDVBD6EXAMPLE"), bundle(v4));

        assertThat(fourth.succeeded()).as(fourth.message()).isTrue();
        assertThat(fourth.message()).endsWith("old ACM certificates deleted: " + v2.serialHex());
        assertThat(account.aws.certificate(v2Arn)).isNull();
        assertThat(account.aws.certificates()).extracting(FakeAws.AcmCertificate::serialHex)
                .containsExactlyInAnyOrder(old.serialHex(), v3.serialHex(), v4.serialHex());
        assertThat(account.ledger.uploads(AwsTestAccount.ledgerKey("us-east-1"))).isEqualTo(2);
        assertThat(account.aws.certificate(oldInAcm.arn)).as("what certflow did not import stays").isNotNull();
    }

    @Test
    void whenTheDistributionDoesNotShowTheNewCertificateThePreviousOneIsPutBack() {
        // another actor (a Terraform run, a colleague) sets its own certificate right after certflow's update
        TestCertificates.Issued theirs = TestCertificates.leaf(TestCertificates.randomSerial(), WWW, "shop.example");
        FakeAws.AcmCertificate theirsInAcm = account.preexisting("us-east-1", theirs);
        AtomicBoolean once = new AtomicBoolean();
        account.aws.afterUpdateDistribution(d -> {
            if (once.compareAndSet(false, true)) {
                account.aws.setViewerCertificate(d, theirsInAcm.arn);
            }
        });
        TestCertificates.Issued next = TestCertificates.leaf(TestCertificates.randomSerial(), WWW, "shop.example");

        DeploymentOutcome outcome = target.deploy(distribution("EDFDVBD6EXAMPLE"), bundle(next));

        assertThat(outcome.status()).as(outcome.message()).isEqualTo(DeploymentOutcome.Status.ROLLED_BACK);
        assertThat(outcome.message()).contains(theirsInAcm.arn).contains("was put back");
        assertThat(outcome.servedSerialNumber()).isEqualTo(old.serialHex());
        assertThat(account.aws.distribution("EDFDVBD6EXAMPLE").acmCertificateArn()).isEqualTo(oldInAcm.arn);
    }

    @Test
    void aRefusedUpdateFailsWithAwsErrorCodeAndChangesNothing() {
        account.aws.fail("UpdateDistribution", 1, 403, "AccessDenied",
                "User: arn:aws:iam::123456789012:user/certflow is not authorized to perform: cloudfront:UpdateDistribution");

        DeploymentOutcome outcome = target.deploy(distribution("EDFDVBD6EXAMPLE"),
                bundle(TestCertificates.leaf(TestCertificates.randomSerial(), WWW, "shop.example")));

        assertThat(outcome.status()).isEqualTo(DeploymentOutcome.Status.FAILED);
        assertThat(outcome.retryable()).isFalse();
        assertThat(outcome.message()).contains("CloudFront UpdateDistribution: AccessDenied: User: arn:aws:iam::123456789012:user/certflow"
                + " is not authorized to perform: cloudfront:UpdateDistribution (HTTP 403)").contains("nothing changed")
                .doesNotContain(SECRET);
        assertThat(outcome.servedSerialNumber()).isEqualTo(old.serialHex());
        assertThat(account.aws.distribution("EDFDVBD6EXAMPLE").acmCertificateArn()).isEqualTo(oldInAcm.arn);
    }

    @Test
    void throttlingAnUnavailableServiceOrAConcurrentChangeMayPassAndIsRetryable() {
        TestCertificates.Issued next = TestCertificates.leaf(TestCertificates.randomSerial(), WWW, "shop.example");
        account.aws.fail("GetDistributionConfig", 1, 503, "ServiceUnavailable", "Service Unavailable");
        account.aws.fail("UpdateDistribution", 1, 400, "Throttling", "Rate exceeded");

        DeploymentOutcome unavailable = target.deploy(distribution("EDFDVBD6EXAMPLE"), bundle(next));
        DeploymentOutcome throttled = target.deploy(distribution("EDFDVBD6EXAMPLE"), bundle(next));
        account.aws.fail("UpdateDistribution", 1, 412, "PreconditionFailed", "The precondition given evaluated to false.");
        DeploymentOutcome raced = target.deploy(distribution("EDFDVBD6EXAMPLE"), bundle(next));

        for (DeploymentOutcome outcome : List.of(unavailable, throttled, raced)) {
            assertThat(outcome.status()).isEqualTo(DeploymentOutcome.Status.FAILED);
            assertThat(outcome.retryable()).as(outcome.message()).isTrue();
        }
        assertThat(unavailable.message()).contains("ServiceUnavailable").contains("HTTP 503");
        assertThat(throttled.message()).contains("Throttling: Rate exceeded");
        assertThat(raced.message()).contains("PreconditionFailed");
        assertThat(account.aws.distribution("EDFDVBD6EXAMPLE").acmCertificateArn()).isEqualTo(oldInAcm.arn);

        DeploymentOutcome later = target.deploy(distribution("EDFDVBD6EXAMPLE"), bundle(next));
        assertThat(later.succeeded()).as(later.message()).isTrue();
        assertThat(account.aws.count("ImportCertificate")).as("imported once, reused by every attempt").isEqualTo(1);
    }

    @Test
    void theSdkRetriesAThrottledCallItselfWhenAllowedTo() {
        AwsTargetProperties retrying = new AwsTargetProperties(true, Duration.ofSeconds(20), 3, 2);
        CloudFrontTarget patient = new CloudFrontTarget(retrying, account.acm);
        account.aws.fail("UpdateDistribution", 1, 503, "ServiceUnavailable", "Service Unavailable");

        DeploymentOutcome outcome = patient.deploy(distribution("EDFDVBD6EXAMPLE"),
                bundle(TestCertificates.leaf(TestCertificates.randomSerial(), WWW, "shop.example")));

        assertThat(outcome.succeeded()).as(outcome.message()).isTrue();
        assertThat(account.aws.calls()).filteredOn(c -> c.operation().equals("UpdateDistribution")).hasSize(2);
    }

    @Test
    void aWrongSecretIsCaughtByTheSignatureCheckAndFailsWithAwsCode() {
        String wrong = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYWRONGKEY00";

        DeploymentOutcome outcome = target.deploy(distribution("EDFDVBD6EXAMPLE", account.access(wrong, Map.of())),
                bundle(TestCertificates.leaf(TestCertificates.randomSerial(), WWW, "shop.example")));

        assertThat(outcome.status()).isEqualTo(DeploymentOutcome.Status.FAILED);
        assertThat(outcome.retryable()).isFalse();
        assertThat(outcome.message()).contains("SignatureDoesNotMatch").contains("HTTP 403").doesNotContain(wrong);
        assertThat(account.aws.calls()).isNotEmpty().allMatch(c -> c.status() == 403);
        assertThat(account.aws.count("ImportCertificate")).isZero();
        assertThatThrownBy(() -> target.discover(account.access(wrong, Map.of())))
                .isInstanceOf(TargetException.class)
                .hasMessageContaining("SignatureDoesNotMatch")
                .satisfies(e -> assertThat(((TargetException) e).retryable()).isFalse());
        assertThat(target.readBack(distribution("EDFDVBD6EXAMPLE", account.access(wrong, Map.of()))).failureReason())
                .contains("SignatureDoesNotMatch");
    }

    @Test
    void aDistributionDeletedSinceItWasListedFailsWithoutImportingAnything() {
        DeploymentOutcome outcome = target.deploy(distribution("E9GONEEXAMPLE"),
                bundle(TestCertificates.leaf(TestCertificates.randomSerial(), WWW)));

        assertThat(outcome.status()).isEqualTo(DeploymentOutcome.Status.FAILED);
        assertThat(outcome.retryable()).isFalse();
        assertThat(outcome.message()).contains("distribution E9GONEEXAMPLE no longer exists").contains("NoSuchDistribution");
        assertThat(account.aws.count("ImportCertificate")).isZero();
    }

    @Test
    void aCertificateThatDoesNotCoverTheAliasesIsRefusedByCloudFrontAndNothingChanges() {
        DeploymentOutcome outcome = target.deploy(distribution("EDFDVBD6EXAMPLE"),
                bundle(TestCertificates.leaf(TestCertificates.randomSerial(), WWW)));

        assertThat(outcome.status()).isEqualTo(DeploymentOutcome.Status.FAILED);
        assertThat(outcome.message()).contains("InvalidViewerCertificate").contains("doesn't cover the alternate domain name");
        assertThat(account.aws.distribution("EDFDVBD6EXAMPLE").acmCertificateArn()).isEqualTo(oldInAcm.arn);
    }

    @Test
    void restorePutsBackWhatADeploymentReplaced() {
        DeploymentOutcome outcome = target.deploy(distribution("EDFDVBD6EXAMPLE"),
                bundle(TestCertificates.leaf(TestCertificates.randomSerial(), WWW, "shop.example")));
        assertThat(outcome.succeeded()).isTrue();

        DeploymentOutcome restored = target.restore(distribution("EDFDVBD6EXAMPLE"), outcome.previous());

        assertThat(restored.succeeded()).as(restored.message()).isTrue();
        assertThat(restored.servedSerialNumber()).isEqualTo(old.serialHex());
        assertThat(account.aws.distribution("EDFDVBD6EXAMPLE").acmCertificateArn()).isEqualTo(oldInAcm.arn);
        assertThat(account.aws.distribution("EDFDVBD6EXAMPLE").configXml)
                .contains("<MinimumProtocolVersion>TLSv1.2_2019</MinimumProtocolVersion>");
    }

    @Test
    void aRoleIsAssumedWithTheExternalIdAndItsSessionSignsTheCalls() {
        String role = "arn:aws:iam::123456789012:role/certflow-deployer";
        account.aws.role(role, "certflow-account-42");
        TargetAccess withRole = account.access(SECRET, Map.of("roleArn", role, "externalId", "certflow-account-42"));
        TestCertificates.Issued next = TestCertificates.leaf(TestCertificates.randomSerial(), WWW, "shop.example");

        DeploymentOutcome outcome = target.deploy(distribution("EDFDVBD6EXAMPLE", withRole), bundle(next));

        assertThat(outcome.succeeded()).as(outcome.message()).isTrue();
        assertThat(account.aws.count("AssumeRole")).isEqualTo(1);
        assertThat(account.aws.calls()).filteredOn(c -> !c.service().equals("sts"))
                .allMatch(c -> account.aws.sessionKeys().contains(c.accessKeyId()));

        account.aws.role(role, "another-id");
        DeploymentOutcome refused = target.deploy(distribution("EDFDVBD6EXAMPLE", withRole), bundle(next));
        assertThat(refused.status()).isEqualTo(DeploymentOutcome.Status.FAILED);
        assertThat(refused.message()).contains("AccessDenied").contains("sts:AssumeRole");
    }

    @Test
    void checksTheSettingsAndTheCredentialNamingEveryProblem() {
        assertThatThrownBy(() -> target.validate(Map.of("distributionId", "not an id", "zone", "x")))
                .isInstanceOf(InvalidTargetConfigException.class)
                .satisfies(e -> assertThat(((InvalidTargetConfigException) e).problems()).hasSize(2));
        target.validate(Map.of("distributionId", "EDFDVBD6EXAMPLE"));

        assertThatThrownBy(() -> target.validateCredential(new TargetAccess("c", Map.of("region", "Europe", "proxy", "x"),
                Map.of("secretAccessKey", "has a space"))))
                .isInstanceOf(InvalidTargetConfigException.class)
                .hasMessageContaining("'accessKeyId' is required")
                .hasMessageContaining("'region' is not an AWS region name")
                .hasMessageContaining("unknown setting 'proxy'")
                .hasMessageContaining("white space")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("has a space"));
        target.validateCredential(account.access());

        CloudFrontTarget production = new CloudFrontTarget(new AwsTargetProperties(false, Duration.ofSeconds(5), 3, null),
                account.acm);
        assertThatThrownBy(() -> production.validateCredential(account.access()))
                .isInstanceOf(InvalidTargetConfigException.class)
                .hasMessageContaining("'endpoint' is not allowed");
        assertThat(production.deploy(distribution("EDFDVBD6EXAMPLE"),
                bundle(TestCertificates.leaf(TestCertificates.randomSerial(), WWW))).message()).contains("'endpoint' is not allowed");
        assertThat(account.aws.calls()).isEmpty();
        assertThat(account.access().toString()).doesNotContain(SECRET);
    }
}
