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
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code alibaba-oss} target through the official OSS SDK (and CAS's SDK) against {@link FakeAlibabaCloud}, whose
 * {@link FakeOss} recomputes OSS's V1 signature of every request, checks Content-MD5 and Date, and keeps buckets with
 * their custom domains bound to CAS certificates.
 */
class AlibabaOssTargetIT {

    static final String KEY_ID = "LTAI5tTestOssKey0001";
    static final String SECRET = "oss-secret-Qa1Ws2Ed3Rf4Tg5Yh6";

    private FakeAlibabaCloud cloud;
    private AlibabaOssTarget target;
    private TargetAccess access;
    private String oldCasId;
    private CapturedLogs logs;

    @BeforeEach
    void start() throws Exception {
        cloud = new FakeAlibabaCloud().accessKey(KEY_ID, SECRET);
        target = new AlibabaOssTarget(new AlibabaClients(AlibabaCdnTargetIT.properties()), AlibabaCdnTargetIT.properties(),
                new InMemoryCloudCertificateLedger(), 2);
        access = access(SECRET);
        TestCertificates.Issued old = TestCertificates.leaf(BigInteger.valueOf(0x0551), "static.example.com");
        oldCasId = cloud.casCertificate("bought", old.chainPem(), old.keyPem());
        cloud.oss.bucket("assets", "cn-hangzhou", "static.example.com", oldCasId, "plain.example.com", null);
        cloud.oss.bucket("backups", "cn-shanghai", "files.example.com", oldCasId);
        logs = new CapturedLogs();
    }

    @AfterEach
    void stop() {
        logs.close();
        cloud.close();
    }

    private TargetAccess access(String secret) {
        return new TargetAccess("cred-oss-1", Map.of("accessKeyId", KEY_ID, "regionId", "cn-hangzhou",
                "endpoint", cloud.endpoint()), Map.of("accessKeySecret", secret));
    }

    private TargetResource domain(String bucket, String domain) {
        return new TargetResource("res-" + domain, domain, AlibabaOssTarget.TYPE, Map.of("bucket", bucket, "domain", domain),
                List.of(domain), access);
    }

    private static CertificateBundle bundle(TestCertificates.Issued issued) {
        return new CertificateBundle(issued.chainPem(), issued.keyPem());
    }

    private void assertNoSecretsShown(String... texts) {
        logs.assertNoSecretShown(SECRET, texts);
    }

    @Test
    void discoversTheCustomDomainsOfEveryBucketInItsRegion() {
        List<DiscoveredResource> found = target.discover(access);

        assertThat(found).extracting(DiscoveredResource::externalId)
                .containsExactly("assets/plain.example.com", "assets/static.example.com", "backups/files.example.com");
        assertThat(found.get(1).config()).isEqualTo(Map.of("bucket", "assets", "domain", "static.example.com"));
        assertThat(found.get(2).config()).containsEntry("bucketRegion", "cn-shanghai");
        assertThat(found.get(2).domains()).containsExactly("files.example.com");
        assertThat(cloud.oss.requests).contains("GET /assets/?cname", "GET /backups/?cname")
                .anySatisfy(r -> assertThat(r).startsWith("GET /?"));
        assertThat(cloud.rejected()).isEmpty();
    }

    @Test
    void deploysByCasCertificateIdAndReadsTheDomainBack() {
        TestCertificates.Issued issued = TestCertificates.leaf(TestCertificates.randomSerial(), "static.example.com");
        TargetResource resource = domain("assets", "static.example.com");

        DeploymentOutcome outcome = target.deploy(resource, bundle(issued));
        ReadBack now = target.readBack(resource);

        assertThat(outcome.succeeded()).as(outcome.message()).isTrue();
        assertThat(outcome.servedSerialNumber()).isEqualTo(issued.serialHex());
        assertThat(now.serialNumber()).contains(issued.serialHex());
        assertThat(cloud.oss.serial("assets", "static.example.com")).isEqualTo(issued.serialHex());
        String casId = cloud.casIds().stream().filter(id -> !id.equals(oldCasId)).findFirst().orElseThrow();
        assertThat(cloud.oss.putCnameBodies).singleElement().asString()
                .contains("<Domain>static.example.com</Domain>")
                .contains("<CertificateConfiguration><CertId>" + casId + "-cn-hangzhou</CertId>")
                .contains("<Force>true</Force>")
                .doesNotContain("<PrivateKey>").doesNotContain("<Certificate>");
        assertThat(cloud.oss.requests).contains("POST /assets/?comp=add&cname");
        assertThat(cloud.rejected()).isEmpty();
        assertNoSecretsShown(outcome.message());
    }

    @Test
    void aDomainThatDoesNotTakeTheNewCertificateGetsThePreviousOneBack() {
        TestCertificates.Issued issued = TestCertificates.leaf(TestCertificates.randomSerial(), "static.example.com");
        cloud.oss.ignoredDomains.add("static.example.com");

        DeploymentOutcome outcome = target.deploy(domain("assets", "static.example.com"), bundle(issued));

        assertThat(outcome.status()).as(outcome.message()).isEqualTo(DeploymentOutcome.Status.ROLLED_BACK);
        assertThat(outcome.servedSerialNumber()).isEqualTo("551");
        assertThat(cloud.oss.putCnameBodies).last().asString().contains("<CertId>" + oldCasId + "-cn-hangzhou</CertId>");
    }

    @Test
    void aDomainWithoutCertificateIsLeftWithoutOneWhenTheDeploymentFailsAndWhenRestored() {
        TestCertificates.Issued issued = TestCertificates.leaf(TestCertificates.randomSerial(), "plain.example.com");
        TargetResource plain = domain("assets", "plain.example.com");

        DeploymentOutcome deployed = target.deploy(plain, bundle(issued));
        DeploymentOutcome restored = target.restore(plain, PreviousCertificate.none());

        assertThat(deployed.succeeded()).as(deployed.message()).isTrue();
        assertThat(restored.succeeded()).as(restored.message()).isTrue();
        assertThat(cloud.oss.serial("assets", "plain.example.com")).isNull();
        assertThat(cloud.oss.putCnameBodies).last().asString().contains("<DeleteCertificate>true</DeleteCertificate>");
        assertThat(target.readBack(plain).failureReason()).contains("has no certificate");
    }

    @Test
    void restoresThePreviousVersionByItsSerial() {
        TestCertificates.Issued old = TestCertificates.leaf(BigInteger.valueOf(0x0551), "static.example.com");
        TestCertificates.Issued issued = TestCertificates.leaf(TestCertificates.randomSerial(), "static.example.com");
        TargetResource resource = domain("assets", "static.example.com");
        target.deploy(resource, bundle(issued));

        DeploymentOutcome restored = target.restore(resource, new PreviousCertificate(old.chainPem(), null));

        assertThat(restored.succeeded()).as(restored.message()).isTrue();
        assertThat(cloud.oss.serial("assets", "static.example.com")).isEqualTo("551");
    }

    @Test
    void aDeletedBucketOrDomainFailsWithTheReason() {
        TestCertificates.Issued issued = TestCertificates.leaf(TestCertificates.randomSerial(), "static.example.com");

        DeploymentOutcome noBucket = target.deploy(domain("gone-bucket", "static.example.com"), bundle(issued));
        DeploymentOutcome noDomain = target.deploy(domain("assets", "gone.example.com"), bundle(issued));

        assertThat(noBucket.status()).isEqualTo(DeploymentOutcome.Status.FAILED);
        assertThat(noBucket.retryable()).isFalse();
        assertThat(noBucket.message()).contains("no longer exists").contains("NoSuchBucket");
        assertThat(noDomain.status()).isEqualTo(DeploymentOutcome.Status.FAILED);
        assertThat(noDomain.message()).contains("no longer exists").contains("not bound to the bucket any more");
        assertThat(cloud.calls("UploadUserCertificate")).isEmpty();
    }

    @Test
    void wrongCredentialsFailClearlyWithoutShowingTheSecret() {
        String wrong = "oss-secret-Qa1Ws2Ed3Rf4Tg5Yh7";
        TestCertificates.Issued issued = TestCertificates.leaf(TestCertificates.randomSerial(), "static.example.com");
        TargetAccess unknownKey = new TargetAccess("cred-oss-2", Map.of("accessKeyId", "LTAI5tUnknownKey0001",
                "regionId", "cn-hangzhou", "endpoint", cloud.endpoint()), Map.of("accessKeySecret", SECRET));

        assertThatThrownBy(() -> target.discover(access(wrong))).isInstanceOf(TargetException.class)
                .hasMessageContaining("SignatureDoesNotMatch").hasMessageNotContaining(wrong)
                .satisfies(e -> assertThat(((TargetException) e).retryable()).isFalse());
        DeploymentOutcome outcome = target.deploy(new TargetResource("r", "s", AlibabaOssTarget.TYPE,
                Map.of("bucket", "assets", "domain", "static.example.com"), List.of(), unknownKey), bundle(issued));

        assertThat(outcome.status()).isEqualTo(DeploymentOutcome.Status.FAILED);
        assertThat(outcome.retryable()).isFalse();
        assertThat(outcome.message()).contains("InvalidAccessKeyId");
        assertThat(cloud.rejected()).hasSize(2).first().asString().startsWith("SignatureDoesNotMatch");
        assertThat(cloud.oss.serial("assets", "static.example.com")).isEqualTo("551");
        assertNoSecretsShown(outcome.message());
    }

    @Test
    void settingsAreChecked() {
        assertThatThrownBy(() -> target.validate(Map.of("bucket", "Bad_Bucket", "domain", "not a domain")))
                .isInstanceOf(InvalidTargetConfigException.class)
                .hasMessageContaining("'bucket' is not a bucket name").hasMessageContaining("'domain' is not a valid host name");
        target.validate(Map.of("bucket", "assets", "domain", "static.example.com", "bucketRegion", "cn-shanghai"));
        assertThat(target.domains(domain("assets", "Static.Example.com"))).containsExactly("Static.Example.com");
        assertThat(target.serverName(new TargetResource("r", "s", AlibabaOssTarget.TYPE,
                Map.of("bucket", "assets", "domain", "Static.Example.com")))).contains("static.example.com");
    }
}
