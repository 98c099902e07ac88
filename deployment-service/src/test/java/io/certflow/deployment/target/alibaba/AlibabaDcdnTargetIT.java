package io.certflow.deployment.target.alibaba;

import io.certflow.deployment.target.CertificateBundle;
import io.certflow.deployment.target.DeploymentOutcome;
import io.certflow.deployment.target.DiscoveredResource;
import io.certflow.deployment.target.TargetAccess;
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

/**
 * The {@code alibaba-dcdn} target (generic OpenAPI calls, API 2018-01-15) against {@link FakeAlibabaCloud}, which
 * checks Action, Version, parameters and the ACS3 signature of each call. The shared domain logic is covered in depth by
 * {@link AlibabaCdnTargetIT}; this proves DCDN's own actions and fields.
 */
class AlibabaDcdnTargetIT {

    static final String KEY_ID = "LTAI5tTestDcdnKey001";
    static final String SECRET = "dcdn-secret-Lp0Ok9Ij8Uh7Yg6Tf5";

    private FakeAlibabaCloud cloud;
    private InMemoryCloudCertificateLedger ledger;
    private AlibabaDcdnTarget target;
    private TargetAccess access;

    @BeforeEach
    void start() throws Exception {
        cloud = new FakeAlibabaCloud().accessKey(KEY_ID, SECRET);
        ledger = new InMemoryCloudCertificateLedger();
        target = new AlibabaDcdnTarget(new AlibabaClients(AlibabaCdnTargetIT.properties()), AlibabaCdnTargetIT.properties(),
                ledger, 2);
        access = new TargetAccess("cred-dcdn-1", Map.of("accessKeyId", KEY_ID, "regionId", "cn-hangzhou",
                "endpoint", cloud.endpoint()), Map.of("accessKeySecret", SECRET));
    }

    @AfterEach
    void stop() {
        cloud.close();
    }

    private TargetResource resource(String domain) {
        return new TargetResource("res-" + domain, domain, AlibabaDcdnTarget.TYPE, Map.of("domainName", domain),
                List.of(domain), access);
    }

    private static CertificateBundle bundle(TestCertificates.Issued issued) {
        return new CertificateBundle(issued.chainPem(), issued.keyPem());
    }

    @Test
    void discoversDeploysOnceForTwoDomainsAndProves() {
        cloud.dcdnDomain("a.example.net");
        cloud.dcdnDomain("b.example.net");
        cloud.dcdnDomain("c.example.net");
        TestCertificates.Issued issued = TestCertificates.leaf(TestCertificates.randomSerial(), "a.example.net", "b.example.net");

        List<DiscoveredResource> found = target.discover(access);
        DeploymentOutcome a = target.deploy(resource("a.example.net"), bundle(issued));
        DeploymentOutcome b = target.deploy(resource("b.example.net"), bundle(issued));

        assertThat(found).extracting(DiscoveredResource::externalId)
                .containsExactlyInAnyOrder("a.example.net", "b.example.net", "c.example.net");
        assertThat(cloud.calls("DescribeDcdnUserDomains")).hasSize(2);
        assertThat(a.succeeded()).as(a.message()).isTrue();
        assertThat(b.succeeded()).as(b.message()).isTrue();
        assertThat(a.message()).startsWith("DCDN domain a.example.net serves certificate " + issued.serialHex());
        assertThat(cloud.dcdnServedSerial("a.example.net")).isEqualTo(issued.serialHex());
        assertThat(cloud.dcdnServedSerial("b.example.net")).isEqualTo(issued.serialHex());
        assertThat(cloud.calls("UploadUserCertificate")).hasSize(1);
        assertThat(cloud.calls("SetDcdnDomainSSLCertificate").get(0).parameters()).containsEntry("CertType", "cas")
                .containsEntry("SSLProtocol", "on").containsEntry("CertRegion", "cn-hangzhou");
        assertThat(target.readBack(resource("b.example.net")).serialNumber()).contains(issued.serialHex());
        assertThat(cloud.rejected()).isEmpty();
        assertThat(a.message() + b.message()).doesNotContain(SECRET);
    }

    @Test
    void aDomainThatDoesNotTakeTheNewCertificateGetsThePreviousOneBack() {
        TestCertificates.Issued old = TestCertificates.leaf(BigInteger.valueOf(0xd00d), "a.example.net");
        String oldId = cloud.casCertificate("old", old.chainPem(), old.keyPem());
        cloud.useCasOnDcdn("a.example.net", oldId);
        cloud.ignoreSets("a.example.net");
        TestCertificates.Issued issued = TestCertificates.leaf(TestCertificates.randomSerial(), "a.example.net");

        DeploymentOutcome outcome = target.deploy(resource("a.example.net"), bundle(issued));

        assertThat(outcome.status()).as(outcome.message()).isEqualTo(DeploymentOutcome.Status.ROLLED_BACK);
        assertThat(outcome.servedSerialNumber()).isEqualTo("d00d");
        assertThat(cloud.calls("SetDcdnDomainSSLCertificate")).extracting(c -> c.parameters().get("CertId"))
                .last().isEqualTo(oldId);
    }

    @Test
    void throttlingIsRetryableAndAnUnknownKeyIsNot() {
        cloud.dcdnDomain("a.example.net");
        TestCertificates.Issued issued = TestCertificates.leaf(TestCertificates.randomSerial(), "a.example.net");
        cloud.fail("SetDcdnDomainSSLCertificate", 400, "Throttling.User", "Request was denied due to user flow control.", 1);

        DeploymentOutcome throttled = target.deploy(resource("a.example.net"), bundle(issued));
        DeploymentOutcome refused = target.deploy(new TargetResource("r", "a", AlibabaDcdnTarget.TYPE,
                Map.of("domainName", "a.example.net"), List.of(), new TargetAccess("c2", Map.of("accessKeyId",
                "LTAI5tNobodyKnowsMe", "regionId", "cn-hangzhou", "endpoint", cloud.endpoint()),
                Map.of("accessKeySecret", SECRET))), bundle(issued));

        assertThat(throttled.retryable()).isTrue();
        assertThat(throttled.message()).contains("Throttling.User");
        assertThat(refused.retryable()).isFalse();
        assertThat(refused.message()).contains("InvalidAccessKeyId.NotFound").doesNotContain(SECRET);
    }
}
