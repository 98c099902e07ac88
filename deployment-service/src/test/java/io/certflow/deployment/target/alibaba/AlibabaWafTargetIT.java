package io.certflow.deployment.target.alibaba;

import com.fasterxml.jackson.databind.ObjectMapper;
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
 * The {@code alibaba-waf} target through the OpenAPI runtime's generic call against {@link FakeAlibabaCloud}, which
 * checks Action, Version (2021-10-01), required parameters and the ACS3 signature, and keeps WAF domains with their
 * {@code Listen} and {@code Redirect} as DescribeDomainDetail shows them.
 */
class AlibabaWafTargetIT {

    static final String KEY_ID = "LTAI5tTestWafKey0001";
    static final String SECRET = "waf-secret-Pl0Ok9Ij8Uh7Yg6Tf5";
    static final String INSTANCE = "waf_v3prepaid_public_cn-fake0001";

    private final ObjectMapper json = new ObjectMapper();
    private FakeAlibabaCloud cloud;
    private AlibabaWafTarget target;
    private TargetAccess access;
    private String oldCasId;

    @BeforeEach
    void start() throws Exception {
        cloud = new FakeAlibabaCloud().accessKey(KEY_ID, SECRET);
        target = new AlibabaWafTarget(new AlibabaClients(AlibabaCdnTargetIT.properties()), AlibabaCdnTargetIT.properties(),
                new InMemoryCloudCertificateLedger(), 2);
        access = access(SECRET);
        TestCertificates.Issued old = TestCertificates.leaf(BigInteger.valueOf(0x0aaf), "www.example.com");
        oldCasId = cloud.casCertificate("bought", old.chainPem(), old.keyPem());
        cloud.wafDomain("www.example.com", oldCasId);
        cloud.wafDomain("api.example.com", oldCasId);
        cloud.wafDomain("http-only.example.com", null);
    }

    @AfterEach
    void stop() {
        cloud.close();
    }

    private TargetAccess access(String secret) {
        return new TargetAccess("cred-waf-1", Map.of("accessKeyId", KEY_ID, "regionId", "cn-shanghai",
                "endpoint", cloud.endpoint()), Map.of("accessKeySecret", secret));
    }

    private TargetResource domain(String domain) {
        return new TargetResource("res-" + domain, domain, AlibabaWafTarget.TYPE, Map.of("instanceId", INSTANCE,
                "domain", domain), List.of(domain), access);
    }

    private static CertificateBundle bundle(TestCertificates.Issued issued) {
        return new CertificateBundle(issued.chainPem(), issued.keyPem());
    }

    @Test
    void discoversTheDomainsOfTheAccountsInstanceAcrossPages() {
        List<DiscoveredResource> found = target.discover(access);

        assertThat(found).extracting(DiscoveredResource::externalId).containsExactly(INSTANCE + "/api.example.com",
                INSTANCE + "/http-only.example.com", INSTANCE + "/www.example.com");
        assertThat(found.get(0).config()).isEqualTo(Map.of("instanceId", INSTANCE, "domain", "api.example.com"));
        assertThat(cloud.calls("DescribeDomains")).hasSize(2).allSatisfy(c -> assertThat(c.parameters())
                .containsEntry("InstanceId", INSTANCE).containsEntry("RegionId", "cn-hangzhou"));
        assertThat(cloud.rejected()).isEmpty();
    }

    @Test
    void anAccountWithoutWafInstanceHasNoResources() {
        cloud.wafInstanceId = null;

        assertThat(target.discover(access)).isEmpty();
    }

    @Test
    void deploysByCasCertificateIdKeepingTheDomainsOtherSettings() throws Exception {
        TestCertificates.Issued issued = TestCertificates.leaf(TestCertificates.randomSerial(), "www.example.com");
        TargetResource resource = domain("www.example.com");

        DeploymentOutcome outcome = target.deploy(resource, bundle(issued));
        ReadBack now = target.readBack(resource);

        assertThat(outcome.succeeded()).as(outcome.message()).isTrue();
        assertThat(outcome.servedSerialNumber()).isEqualTo(issued.serialHex());
        assertThat(now.serialNumber()).contains(issued.serialHex());
        assertThat(cloud.wafSerial("www.example.com")).isEqualTo(issued.serialHex());
        assertThat(cloud.wafSerial("api.example.com")).isEqualTo("aaf");
        String casId = cloud.casIds().stream().filter(id -> !id.equals(oldCasId)).findFirst().orElseThrow();
        Map<String, String> modify = cloud.calls("ModifyDomain").get(0).parameters();
        assertThat(modify).containsEntry("InstanceId", INSTANCE).containsEntry("Domain", "www.example.com")
                .containsEntry("RegionId", "cn-hangzhou");
        Map<?, ?> listen = json.readValue(modify.get("Listen"), Map.class);
        Map<?, ?> redirect = json.readValue(modify.get("Redirect"), Map.class);
        assertThat(listen.get("CertId")).isEqualTo(casId + "-cn-hangzhou");
        assertThat(listen.get("HttpsPorts")).isEqualTo(List.of(443));
        assertThat(listen.get("HttpPorts")).isEqualTo(List.of(80));
        assertThat(listen.get("TLSVersion")).isEqualTo("tlsv1.2");
        assertThat(redirect.get("Backends")).isEqualTo(List.of("203.0.113.10", "203.0.113.11"));
        assertThat(redirect.get("Loadbalance")).isEqualTo("iphash");
        assertThat(redirect.get("RequestHeaders")).isEqualTo(List.of(Map.of("Key", "X-Origin", "Value", "waf")));
        assertThat(cloud.rejected()).isEmpty();
        assertThat(outcome.message()).doesNotContain(SECRET).doesNotContain("PRIVATE KEY");
    }

    @Test
    void aDomainThatDoesNotTakeTheNewCertificateGetsThePreviousOneBack() {
        TestCertificates.Issued issued = TestCertificates.leaf(TestCertificates.randomSerial(), "www.example.com");
        cloud.ignoreSets("www.example.com");

        DeploymentOutcome outcome = target.deploy(domain("www.example.com"), bundle(issued));

        assertThat(outcome.status()).as(outcome.message()).isEqualTo(DeploymentOutcome.Status.ROLLED_BACK);
        assertThat(outcome.servedSerialNumber()).isEqualTo("aaf");
        assertThat(cloud.calls("ModifyDomain")).extracting(c -> c.parameters().get("Listen")).last().asString()
                .contains("\"CertId\":\"" + oldCasId + "-cn-hangzhou\"");
    }

    @Test
    void aRefusedChangeKeepsThePreviousCertificateAndAnHttpOnlyDomainIsRefused() {
        TestCertificates.Issued issued = TestCertificates.leaf(TestCertificates.randomSerial(), "www.example.com");
        cloud.fail("ModifyDomain", 400, "Waf.Pullin.Forbidden", "The domain is being changed.", 1);

        DeploymentOutcome refused = target.deploy(domain("www.example.com"), bundle(issued));
        DeploymentOutcome httpOnly = target.deploy(domain("http-only.example.com"), bundle(issued));

        assertThat(refused.status()).as(refused.message()).isEqualTo(DeploymentOutcome.Status.ROLLED_BACK);
        assertThat(refused.message()).contains("Waf.Pullin.Forbidden").contains("keeps certificate " + oldCasId);
        assertThat(cloud.wafSerial("www.example.com")).isEqualTo("aaf");
        assertThat(httpOnly.status()).as(httpOnly.message()).isNotEqualTo(DeploymentOutcome.Status.SUCCEEDED);
        assertThat(httpOnly.message()).contains("has no HTTPS port");
        assertThat(cloud.wafSerial("http-only.example.com")).isNull();
    }

    @Test
    void throttlingIsRetryable() {
        TestCertificates.Issued issued = TestCertificates.leaf(TestCertificates.randomSerial(), "www.example.com");
        cloud.fail("DescribeDomainDetail", 400, "Throttling.User", "Request was denied due to user flow control.", 1);

        DeploymentOutcome outcome = target.deploy(domain("www.example.com"), bundle(issued));

        assertThat(outcome.retryable()).as(outcome.message()).isTrue();
        assertThat(cloud.calls("ModifyDomain")).isEmpty();
    }

    @Test
    void restoresThePreviousVersionByItsSerial() {
        TestCertificates.Issued old = TestCertificates.leaf(BigInteger.valueOf(0x0aaf), "www.example.com");
        TestCertificates.Issued issued = TestCertificates.leaf(TestCertificates.randomSerial(), "www.example.com");
        TargetResource resource = domain("www.example.com");
        target.deploy(resource, bundle(issued));

        DeploymentOutcome restored = target.restore(resource, new PreviousCertificate(old.chainPem(), null));
        DeploymentOutcome none = target.restore(resource, PreviousCertificate.none());

        assertThat(restored.succeeded()).as(restored.message()).isTrue();
        assertThat(cloud.wafSerial("www.example.com")).isEqualTo("aaf");
        assertThat(none.status()).isEqualTo(DeploymentOutcome.Status.FAILED);
        assertThat(none.message()).contains("left without a certificate");
    }

    @Test
    void aDeletedDomainFailsWithTheReason() {
        TestCertificates.Issued issued = TestCertificates.leaf(TestCertificates.randomSerial(), "gone.example.com");

        DeploymentOutcome outcome = target.deploy(domain("gone.example.com"), bundle(issued));

        assertThat(outcome.status()).isEqualTo(DeploymentOutcome.Status.FAILED);
        assertThat(outcome.retryable()).isFalse();
        assertThat(outcome.message()).contains("WAF domain gone.example.com no longer exists")
                .contains("Waf.Pullin.DomainNotExist");
        assertThat(cloud.calls("UploadUserCertificate")).isEmpty();
    }

    @Test
    void wrongCredentialsFailClearlyWithoutShowingTheSecret() {
        String wrong = "waf-secret-Pl0Ok9Ij8Uh7Yg6Tf4";
        TestCertificates.Issued issued = TestCertificates.leaf(TestCertificates.randomSerial(), "www.example.com");
        try (CapturedLogs logs = new CapturedLogs()) {
            assertThatThrownBy(() -> target.discover(access(wrong))).isInstanceOf(TargetException.class)
                    .hasMessageContaining("SignatureDoesNotMatch").hasMessageNotContaining(wrong);
            DeploymentOutcome outcome = target.deploy(new TargetResource("r", "w", AlibabaWafTarget.TYPE,
                    Map.of("instanceId", INSTANCE, "domain", "www.example.com"), List.of(), access(wrong)), bundle(issued));

            assertThat(outcome.status()).isEqualTo(DeploymentOutcome.Status.FAILED);
            assertThat(outcome.retryable()).isFalse();
            assertThat(outcome.message()).contains("SignatureDoesNotMatch");
            logs.assertNoSecretShown(wrong, outcome.message());
            logs.assertNoSecretShown(SECRET);
        }
        assertThat(cloud.wafSerial("www.example.com")).isEqualTo("aaf");
    }

    @Test
    void settingsAreChecked() {
        assertThatThrownBy(() -> target.validate(Map.of("domain", "not a domain")))
                .isInstanceOf(InvalidTargetConfigException.class)
                .hasMessageContaining("'instanceId' is required").hasMessageContaining("'domain' is not a domain name");
        target.validate(Map.of("instanceId", INSTANCE, "domain", "*.example.com"));
        assertThat(target.domains(domain("www.example.com"))).containsExactly("www.example.com");
    }
}
