package io.certflow.deployment.target.alibaba;

import io.certflow.deployment.target.CertificateBundle;
import io.certflow.deployment.target.DeploymentOutcome;
import io.certflow.deployment.target.DiscoveredResource;
import io.certflow.deployment.target.InvalidTargetConfigException;
import io.certflow.deployment.target.PreviousCertificate;
import io.certflow.deployment.target.ReadBack;
import io.certflow.deployment.target.TargetAccess;
import io.certflow.deployment.target.TargetException;
import io.certflow.deployment.target.TargetResource;
import io.certflow.deployment.testing.InMemoryCloudCertificateLedger;
import io.certflow.deployment.testing.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code alibaba-cdn} target through the official SDK against {@link FakeAlibabaCloud}, which checks each request's
 * Action, Version, parameters and ACS3 signature as Alibaba documents them and keeps the domains' and CAS's state.
 */
class AlibabaCdnTargetIT {

    static final String KEY_ID = "LTAI5tTestCdnKey0001";
    static final String SECRET = "cdn-secret-Zx8Qw2Lm4Np6Rt8Vy0";

    private FakeAlibabaCloud cloud;
    private InMemoryCloudCertificateLedger ledger;
    private AlibabaCdnTarget target;
    private TargetAccess access;
    private CapturedLogs logs;

    @BeforeEach
    void start() throws Exception {
        cloud = new FakeAlibabaCloud().accessKey(KEY_ID, SECRET);
        ledger = new InMemoryCloudCertificateLedger();
        target = new AlibabaCdnTarget(new AlibabaClients(properties()), properties(), ledger, 2);
        access = access(SECRET);
        logs = new CapturedLogs();
    }

    @AfterEach
    void stop() {
        logs.close();
        cloud.close();
    }

    static AlibabaProperties properties() {
        return new AlibabaProperties(true, Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofMillis(600),
                Duration.ofMillis(100), 2);
    }

    private TargetAccess access(String secret) {
        return new TargetAccess("cred-cdn-1", Map.of("accessKeyId", KEY_ID, "regionId", "cn-hangzhou",
                "endpoint", cloud.endpoint()), Map.of("accessKeySecret", secret));
    }

    private TargetResource resource(String domain) {
        return new TargetResource("res-" + domain, domain, AlibabaCdnTarget.TYPE, Map.of("domainName", domain),
                List.of(domain), access);
    }

    private static CertificateBundle bundle(TestCertificates.Issued issued) {
        return new CertificateBundle(issued.chainPem(), issued.keyPem());
    }

    /** Nothing the tests handled — outcome messages, logs — shows the secret or a private key; no request was refused. */
    private void assertNoSecretsIn(String... texts) {
        assertNoSecretsShown(texts);
        assertThat(cloud.rejected()).isEmpty();
    }

    private void assertNoSecretsShown(String... texts) {
        logs.assertNoSecretShown(SECRET, texts);
    }

    @Test
    void discoversEveryDomainOfTheAccountAcrossPages() {
        cloud.domain("a.example.com");
        cloud.domain("b.example.com");
        cloud.domain(".example.org");

        List<DiscoveredResource> found = target.discover(access);

        assertThat(found).extracting(DiscoveredResource::externalId)
                .containsExactlyInAnyOrder("a.example.com", "b.example.com", ".example.org");
        assertThat(found).filteredOn(r -> r.externalId().equals(".example.org")).singleElement()
                .satisfies(r -> {
                    assertThat(r.domains()).containsExactly("*.example.org");
                    assertThat(r.config()).containsEntry("domainName", ".example.org");
                });
        assertThat(cloud.calls("DescribeUserDomains")).hasSize(2); // page size 2: two pages
        assertThat(cloud.calls("DescribeUserDomains").get(1).parameters()).containsEntry("PageNumber", "2");
        assertNoSecretsIn();
    }

    @Test
    void deploysOneUploadToTwoDomainsAndProvesTheNewSerial() {
        TestCertificates.Issued old = TestCertificates.leaf(BigInteger.valueOf(0x1001), "a.example.com", "b.example.com");
        cloud.useCas("a.example.com", cloud.casCertificate("old-cert", old.chainPem(), old.keyPem()));
        cloud.domain("b.example.com");
        TestCertificates.Issued issued = TestCertificates.leaf(TestCertificates.randomSerial(), "a.example.com", "b.example.com");

        DeploymentOutcome a = target.deploy(resource("a.example.com"), bundle(issued));
        DeploymentOutcome b = target.deploy(resource("b.example.com"), bundle(issued));

        assertThat(a.status()).as(a.message()).isEqualTo(DeploymentOutcome.Status.SUCCEEDED);
        assertThat(b.status()).as(b.message()).isEqualTo(DeploymentOutcome.Status.SUCCEEDED);
        assertThat(a.servedSerialNumber()).isEqualTo(issued.serialHex());
        assertThat(cloud.servedSerial("a.example.com")).isEqualTo(issued.serialHex());
        assertThat(cloud.servedSerial("b.example.com")).isEqualTo(issued.serialHex());
        assertThat(cloud.calls("UploadUserCertificate")).hasSize(1);
        assertThat(ledger.uploads("cred-cdn-1")).isEqualTo(1);
        FakeAlibabaCloud.CdnDomain domain = cloud.domains.get("a.example.com");
        assertThat(domain.certType).isEqualTo("cas");
        assertThat(cloud.cas.get(domain.certId).serial()).isEqualTo(issued.serialHex());
        assertThat(cloud.cas.get(domain.certId).key()).isEqualTo(issued.keyPem());
        FakeAlibabaCloud.Call set = cloud.calls("SetCdnDomainSSLCertificate").get(0);
        assertThat(set.parameters()).containsEntry("SSLProtocol", "on").containsEntry("CertType", "cas")
                .containsEntry("CertId", domain.certId).containsEntry("CertRegion", "cn-hangzhou")
                .doesNotContainKey("SSLPri");
        assertThat(set.accessKeyId()).isEqualTo(KEY_ID);
        assertThat(a.previous().serialNumber()).contains("1001");
        assertThat(b.previous().present()).isFalse();
        assertThat(target.readBack(resource("b.example.com")).serialNumber()).contains(issued.serialHex());
        assertNoSecretsIn(a.message(), b.message(), String.valueOf(a.previous()));
    }

    @Test
    void aRotationDeletesTheUploadsBeyondTheNewestTwoThatNoDomainUses() {
        cloud.domain("a.example.com");
        cloud.domain("b.example.com");
        TestCertificates.Issued v1 = TestCertificates.leaf(BigInteger.valueOf(0xa1), "a.example.com", "b.example.com");
        TestCertificates.Issued v2 = TestCertificates.leaf(BigInteger.valueOf(0xa2), "a.example.com", "b.example.com");
        TestCertificates.Issued v3 = TestCertificates.leaf(BigInteger.valueOf(0xa3), "a.example.com", "b.example.com");
        TestCertificates.Issued v4 = TestCertificates.leaf(BigInteger.valueOf(0xa4), "a.example.com", "b.example.com");

        target.deploy(resource("a.example.com"), bundle(v1));
        target.deploy(resource("b.example.com"), bundle(v1)); // b stays on v1
        target.deploy(resource("a.example.com"), bundle(v2));
        DeploymentOutcome third = target.deploy(resource("a.example.com"), bundle(v3));

        assertThat(third.succeeded()).as(third.message()).isTrue();
        assertThat(cloud.cas.values()).extracting(FakeAlibabaCloud.StoredCertificate::serial)
                .as("v1 is beyond the newest two but b.example.com still uses it").containsExactlyInAnyOrder("a1", "a2", "a3");
        assertThat(cloud.calls("DeleteUserCertificate")).isEmpty();

        DeploymentOutcome bMoves = target.deploy(resource("b.example.com"), bundle(v3));

        assertThat(bMoves.message()).as("no domain uses v1 any more").contains("removed 1 old certificate(s)")
                .endsWith(": a1");
        DeploymentOutcome fourth = target.deploy(resource("a.example.com"), bundle(v4));

        assertThat(fourth.succeeded()).as(fourth.message()).isTrue();
        assertThat(cloud.cas.values()).extracting(FakeAlibabaCloud.StoredCertificate::serial)
                .containsExactlyInAnyOrder("a3", "a4");
        assertThat(fourth.message()).endsWith("removed 1 old certificate(s) from the account's certificate store: a2");
        assertThat(cloud.calls("DeleteUserCertificate")).hasSize(2);
        assertThat(ledger.uploads("cred-cdn-1")).isEqualTo(2);
        assertNoSecretsIn(fourth.message());
    }

    @Test
    void aRefusedSetLeavesThePreviousCertificateInPlaceAsRolledBack() {
        TestCertificates.Issued old = TestCertificates.leaf(BigInteger.valueOf(0x2002), "a.example.com");
        cloud.useCas("a.example.com", cloud.casCertificate("old-cert", old.chainPem(), old.keyPem()));
        cloud.fail("SetCdnDomainSSLCertificate", 400, "InvalidCertificate.Expired", "The certificate has expired.", 1);
        TestCertificates.Issued issued = TestCertificates.leaf(TestCertificates.randomSerial(), "a.example.com");

        DeploymentOutcome outcome = target.deploy(resource("a.example.com"), bundle(issued));

        assertThat(outcome.status()).isEqualTo(DeploymentOutcome.Status.ROLLED_BACK);
        assertThat(outcome.retryable()).isFalse();
        assertThat(outcome.servedSerialNumber()).isEqualTo("2002");
        assertThat(outcome.message()).contains("InvalidCertificate.Expired").contains("The certificate has expired.");
        assertThat(cloud.servedSerial("a.example.com")).isEqualTo("2002");
        assertNoSecretsIn(outcome.message());
    }

    @Test
    void aRollbackThatIsRefusedSaysSoAndKeepsWhatItKnowsOfThePrevious() {
        TestCertificates.Issued old = TestCertificates.leaf(BigInteger.valueOf(0x3003), "a.example.com");
        String oldId = cloud.casCertificate("old-cert", old.chainPem(), old.keyPem());
        cloud.useCas("a.example.com", oldId);
        TestCertificates.Issued issued = TestCertificates.leaf(TestCertificates.randomSerial(), "a.example.com");
        cloud.ignoreSets("a.example.com"); // the new certificate is accepted but never shown
        cloud.pass("SetCdnDomainSSLCertificate", 1);
        cloud.fail("SetCdnDomainSSLCertificate", 400, "InvalidParameter", "The specified parameter is invalid.", 1);

        DeploymentOutcome outcome = target.deploy(resource("a.example.com"), bundle(issued));

        assertThat(outcome.status()).as(outcome.message()).isEqualTo(DeploymentOutcome.Status.FAILED);
        assertThat(outcome.message()).contains("instead of " + issued.serialHex())
                .contains("setting back certificate 3003 FAILED").contains("InvalidParameter");
        assertThat(outcome.servedSerialNumber()).isEqualTo("3003");
        assertThat(outcome.previous().serialNumber()).contains("3003");
        assertThat(cloud.calls("SetCdnDomainSSLCertificate")).extracting(c -> c.parameters().get("CertId"))
                .last().isEqualTo(oldId);
    }

    @Test
    void aNewCertificateThatIsNotShownIsRolledBackToThePreviousOne() {
        TestCertificates.Issued old = TestCertificates.leaf(BigInteger.valueOf(0x5005), "a.example.com");
        String oldId = cloud.casCertificate("old-cert", old.chainPem(), old.keyPem());
        cloud.useCas("a.example.com", oldId);
        TestCertificates.Issued issued = TestCertificates.leaf(TestCertificates.randomSerial(), "a.example.com");
        cloud.ignoreSets("a.example.com"); // accepted, never applied: the proof fails

        DeploymentOutcome outcome = target.deploy(resource("a.example.com"), bundle(issued));

        assertThat(outcome.status()).as(outcome.message()).isEqualTo(DeploymentOutcome.Status.ROLLED_BACK);
        assertThat(outcome.servedSerialNumber()).isEqualTo("5005");
        assertThat(outcome.message()).contains("instead of " + issued.serialHex()).contains("previous certificate 5005 set back");
        assertThat(cloud.calls("SetCdnDomainSSLCertificate")).extracting(c -> c.parameters().get("CertId"))
                .last().isEqualTo(oldId);
        assertThat(cloud.servedSerial("a.example.com")).isEqualTo("5005");
    }

    @Test
    void aDomainWithoutHttpsBeforeIsSwitchedOffAgainWhenTheProofFails() {
        cloud.domain("a.example.com");
        cloud.ignoreSets("a.example.com");
        TestCertificates.Issued issued = TestCertificates.leaf(TestCertificates.randomSerial(), "a.example.com");

        DeploymentOutcome outcome = target.deploy(resource("a.example.com"), bundle(issued));

        assertThat(outcome.status()).as(outcome.message()).isEqualTo(DeploymentOutcome.Status.ROLLED_BACK);
        assertThat(outcome.message()).contains("HTTPS is off again");
        assertThat(cloud.calls("SetCdnDomainSSLCertificate")).extracting(c -> c.parameters().get("SSLProtocol"))
                .containsExactly("on", "off");
    }

    @Test
    void anUnknownAccessKeyFailsWithAlibabasCode() {
        TargetAccess unknown = new TargetAccess("cred-cdn-2", Map.of("accessKeyId", "LTAI5tNobodyKnowsMe", "regionId",
                "cn-hangzhou", "endpoint", cloud.endpoint()), Map.of("accessKeySecret", SECRET));
        cloud.domain("a.example.com");
        TestCertificates.Issued issued = TestCertificates.leaf(TestCertificates.randomSerial(), "a.example.com");

        DeploymentOutcome outcome = target.deploy(new TargetResource("r", "a", AlibabaCdnTarget.TYPE,
                Map.of("domainName", "a.example.com"), List.of(), unknown), bundle(issued));

        assertThat(outcome.status()).isEqualTo(DeploymentOutcome.Status.FAILED);
        assertThat(outcome.retryable()).isFalse();
        assertThat(outcome.message()).contains("InvalidAccessKeyId.NotFound").contains("Specified access key is not found.");
        assertThatThrownBy(() -> target.discover(unknown)).isInstanceOf(TargetException.class)
                .hasMessageContaining("InvalidAccessKeyId.NotFound")
                .satisfies(e -> assertThat(((TargetException) e).retryable()).isFalse());
        assertThat(cloud.calls("UploadUserCertificate")).isEmpty();
        assertNoSecretsShown(outcome.message());
    }

    @Test
    void aWrongSecretIsRefusedByTheSignatureCheck() {
        cloud.domain("a.example.com");
        String wrong = "cdn-secret-Zx8Qw2Lm4Np6Rt8Vy1";

        assertThatThrownBy(() -> target.discover(access(wrong))).isInstanceOf(TargetException.class)
                .hasMessageContaining("SignatureDoesNotMatch").hasMessageNotContaining(wrong);
        assertThat(cloud.rejected()).singleElement().asString().startsWith("SignatureDoesNotMatch");
    }

    @Test
    void throttlingAndUnavailabilityAreRetryableAndChangeNothing() {
        TestCertificates.Issued old = TestCertificates.leaf(BigInteger.valueOf(0x6006), "a.example.com");
        cloud.useCas("a.example.com", cloud.casCertificate("old-cert", old.chainPem(), old.keyPem()));
        TestCertificates.Issued issued = TestCertificates.leaf(TestCertificates.randomSerial(), "a.example.com");

        cloud.fail("SetCdnDomainSSLCertificate", 400, "Throttling.User", "Request was denied due to user flow control.", 1);
        DeploymentOutcome throttled = target.deploy(resource("a.example.com"), bundle(issued));
        cloud.fail("DescribeDomainCertificateInfo", 503, "ServiceUnavailable", "The request has failed due to a temporary failure of the server.", 1);
        DeploymentOutcome unavailable = target.deploy(resource("a.example.com"), bundle(issued));

        assertThat(throttled.status()).isEqualTo(DeploymentOutcome.Status.FAILED);
        assertThat(throttled.retryable()).isTrue();
        assertThat(throttled.message()).contains("Throttling.User");
        assertThat(unavailable.retryable()).isTrue();
        assertThat(unavailable.message()).contains("ServiceUnavailable").contains("HTTP 503");
        assertThat(cloud.servedSerial("a.example.com")).isEqualTo("6006");

        DeploymentOutcome again = target.deploy(resource("a.example.com"), bundle(issued));
        assertThat(again.succeeded()).as(again.message()).isTrue();
        assertThat(cloud.calls("UploadUserCertificate")).as("uploaded once, reused by the retries").hasSize(1);
    }

    @Test
    void aServiceThatIsDownIsRetryable() {
        cloud.domain("a.example.com");
        String endpoint = cloud.endpoint();
        cloud.close();
        TargetAccess down = new TargetAccess("cred-cdn-1", Map.of("accessKeyId", KEY_ID, "regionId", "cn-hangzhou",
                "endpoint", endpoint), Map.of("accessKeySecret", SECRET));
        TestCertificates.Issued issued = TestCertificates.leaf(TestCertificates.randomSerial(), "a.example.com");

        DeploymentOutcome outcome = target.deploy(new TargetResource("r", "a", AlibabaCdnTarget.TYPE,
                Map.of("domainName", "a.example.com"), List.of(), down), bundle(issued));
        ReadBack read = target.readBack(new TargetResource("r", "a", AlibabaCdnTarget.TYPE,
                Map.of("domainName", "a.example.com"), List.of(), down));

        assertThat(outcome.retryable()).isTrue();
        assertThat(outcome.message()).contains("cannot reach Alibaba Cloud CDN");
        assertThat(read.known()).isFalse();
        assertNoSecretsIn(outcome.message(), read.describe());
    }

    @Test
    void anUploadRecordedNowhereIsFoundByItsNameInsteadOfUploadedTwice() {
        TestCertificates.Issued issued = TestCertificates.leaf(TestCertificates.randomSerial(), "a.example.com");
        String earlier = cloud.casCertificate("certflow-" + issued.serialHex(), issued.chainPem(), issued.keyPem());
        cloud.domain("a.example.com");

        DeploymentOutcome outcome = target.deploy(resource("a.example.com"), bundle(issued));

        assertThat(outcome.succeeded()).as(outcome.message()).isTrue();
        assertThat(cloud.domains.get("a.example.com").certId).isEqualTo(earlier);
        assertThat(cloud.cas).hasSize(1);
    }

    @Test
    void restorePutsAPreviousCertificateBackByItsSerial() {
        TestCertificates.Issued old = TestCertificates.leaf(BigInteger.valueOf(0x7007), "a.example.com");
        cloud.useCas("a.example.com", cloud.casCertificate("bought-elsewhere", old.chainPem(), old.keyPem()));
        TestCertificates.Issued issued = TestCertificates.leaf(TestCertificates.randomSerial(), "a.example.com");
        DeploymentOutcome deployed = target.deploy(resource("a.example.com"), bundle(issued));

        DeploymentOutcome restored = target.restore(resource("a.example.com"), deployed.previous());

        assertThat(restored.succeeded()).as(restored.message()).isTrue();
        assertThat(cloud.servedSerial("a.example.com")).isEqualTo("7007");
        assertThat(cloud.calls("ListUserCertificateOrder")).isNotEmpty();
        DeploymentOutcome off = target.restore(resource("a.example.com"), PreviousCertificate.none());
        assertThat(off.succeeded()).isTrue();
        assertThat(cloud.domains.get("a.example.com").sslProtocol).isEqualTo("off");
    }

    @Test
    void settingsAndCredentialsAreCheckedWithEveryProblemAtOnce() {
        assertThatThrownBy(() -> target.validate(Map.of("domain", "x")))
                .isInstanceOf(InvalidTargetConfigException.class)
                .satisfies(e -> assertThat(((InvalidTargetConfigException) e).problems()).hasSize(2));
        assertThatThrownBy(() -> target.validate(Map.of("domainName", "not a domain")))
                .hasMessageContaining("not a domain name");
        target.validate(Map.of("domainName", ".example.org"));

        AlibabaCdnTarget production = new AlibabaCdnTarget(new AlibabaClients(AlibabaProperties.defaults()),
                AlibabaProperties.defaults(), ledger, 2);
        assertThatThrownBy(() -> production.validateCredential(new TargetAccess("c", Map.of("endpoint", "http://127.0.0.1:1",
                "accessKeySecret", SECRET), Map.of())))
                .isInstanceOf(InvalidTargetConfigException.class)
                .hasMessageContaining("'accessKeyId' is required").hasMessageContaining("'regionId' is required")
                .hasMessageContaining("secret 'accessKeySecret' is required").hasMessageContaining("'endpoint' is not allowed")
                .hasMessageContaining("must be given as a secret").hasMessageNotContaining(SECRET);
        production.validateCredential(new TargetAccess("c", Map.of("accessKeyId", KEY_ID, "regionId", "ap-southeast-1",
                "certificateRegion", "ap-southeast-1"), Map.of("accessKeySecret", SECRET)));
        assertThat(production.domains(new TargetResource("r", "n", AlibabaCdnTarget.TYPE, Map.of("domainName", ".example.org"))))
                .containsExactly("*.example.org");
    }
}
