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
 * The {@code alibaba-slb} target through the official SDK against {@link FakeAlibabaCloud}, which checks each request's
 * Action, Version, parameters and ACS3 signature and keeps load balancers, listeners and server certificates (PEM).
 */
class AlibabaSlbTargetIT {

    static final String KEY_ID = "LTAI5tTestSlbKey0001";
    static final String SECRET = "slb-secret-Qw3Er5Ty7Ui9Op1As3";
    static final String LB1 = "lb-bp1o94dp5i6earr9g6d1l";
    static final String LB2 = "lb-bp1x7test2abcdefgh";

    private FakeAlibabaCloud cloud;
    private InMemoryCloudCertificateLedger ledger;
    private AlibabaSlbTarget target;
    private TargetAccess access;
    private TestCertificates.Issued old;
    private String oldId;

    @BeforeEach
    void start() throws Exception {
        cloud = new FakeAlibabaCloud().accessKey(KEY_ID, SECRET);
        ledger = new InMemoryCloudCertificateLedger();
        target = new AlibabaSlbTarget(new AlibabaClients(AlibabaCdnTargetIT.properties()), AlibabaCdnTargetIT.properties(),
                ledger, 2);
        access = new TargetAccess("cred-slb-1", Map.of("accessKeyId", KEY_ID, "regionId", "cn-hangzhou",
                "endpoint", cloud.endpoint()), Map.of("accessKeySecret", SECRET));
        old = TestCertificates.leaf(BigInteger.valueOf(0xabc), "shop.example.com", "*.shop.example.com");
        oldId = cloud.serverCertificate("bought-2024", old.chainPem(), old.keyPem());
        cloud.loadBalancer(LB1, "shop", 80, "http", null, 443, "https", oldId);
        cloud.loadBalancer(LB2, "", 443, "https", oldId, 8443, "https", oldId);
    }

    @AfterEach
    void stop() {
        cloud.close();
    }

    private TargetResource listener(String lb, int port) {
        return new TargetResource("res-" + lb + port, lb + ":" + port, AlibabaSlbTarget.TYPE,
                Map.of("loadBalancerId", lb, "listenerPort", String.valueOf(port)), List.of("shop.example.com"), access);
    }

    private static CertificateBundle bundle(TestCertificates.Issued issued) {
        return new CertificateBundle(issued.chainPem(), issued.keyPem());
    }

    private void assertClean(String... texts) {
        for (String text : texts) {
            assertThat(text).doesNotContain(SECRET).doesNotContain("PRIVATE KEY");
        }
        assertThat(cloud.rejected()).isEmpty();
    }

    @Test
    void discoversEveryHttpsListenerWithTheDomainsOfItsCertificate() {
        List<DiscoveredResource> found = target.discover(access);

        assertThat(found).extracting(DiscoveredResource::externalId)
                .containsExactly(LB1 + ":443", LB2 + ":443", LB2 + ":8443");
        assertThat(found.get(0).name()).isEqualTo("shop (" + LB1 + ") HTTPS:443");
        assertThat(found.get(0).domains()).containsExactly("shop.example.com", "*.shop.example.com");
        assertThat(found.get(2).config()).containsEntry("loadBalancerId", LB2).containsEntry("listenerPort", "8443");
        assertThat(cloud.calls("DescribeLoadBalancers")).allSatisfy(c -> assertThat(c.parameters())
                .containsEntry("RegionId", "cn-hangzhou"));
        assertClean();
    }

    @Test
    void deploysOneUploadToTwoListenersAndProvesTheFingerprint() {
        TestCertificates.Issued issued = TestCertificates.leaf(TestCertificates.randomSerial(), "shop.example.com");

        DeploymentOutcome first = target.deploy(listener(LB1, 443), bundle(issued));
        DeploymentOutcome second = target.deploy(listener(LB2, 8443), bundle(issued));

        assertThat(first.status()).as(first.message()).isEqualTo(DeploymentOutcome.Status.SUCCEEDED);
        assertThat(second.status()).as(second.message()).isEqualTo(DeploymentOutcome.Status.SUCCEEDED);
        assertThat(first.servedSerialNumber()).isEqualTo(issued.serialHex());
        assertThat(cloud.listenerSerial(LB1, 443)).isEqualTo(issued.serialHex());
        assertThat(cloud.listenerSerial(LB2, 8443)).isEqualTo(issued.serialHex());
        assertThat(cloud.listenerSerial(LB2, 443)).isEqualTo("abc");
        assertThat(cloud.calls("UploadServerCertificate")).singleElement().satisfies(c -> assertThat(c.parameters())
                .containsEntry("RegionId", "cn-hangzhou").containsEntry("ServerCertificateName", "certflow-" + issued.serialHex()));
        String newId = cloud.listenerCertificateId(LB1, 443);
        assertThat(cloud.serverCertificates.get(newId).key()).isEqualTo(issued.keyPem());
        assertThat(cloud.calls("SetLoadBalancerHTTPSListenerAttribute").get(0).parameters())
                .containsEntry("LoadBalancerId", LB1).containsEntry("ListenerPort", "443")
                .containsEntry("ServerCertificateId", newId);
        ReadBack read = target.readBack(listener(LB1, 443));
        assertThat(read.serialNumber()).contains(issued.serialHex());
        assertThat(target.readBack(listener(LB2, 443)).describe()).contains("which certflow did not upload");
        assertClean(first.message(), second.message());
    }

    @Test
    void aRefusedSetKeepsThePreviousCertificateAsRolledBack() {
        cloud.fail("SetLoadBalancerHTTPSListenerAttribute", 400, "InvalidParameter", "The specified parameter is invalid.", 1);
        TestCertificates.Issued issued = TestCertificates.leaf(TestCertificates.randomSerial(), "shop.example.com");

        DeploymentOutcome outcome = target.deploy(listener(LB1, 443), bundle(issued));

        assertThat(outcome.status()).as(outcome.message()).isEqualTo(DeploymentOutcome.Status.ROLLED_BACK);
        assertThat(outcome.message()).contains("InvalidParameter").contains("keeps server certificate " + oldId);
        assertThat(cloud.listenerCertificateId(LB1, 443)).isEqualTo(oldId);
        assertClean(outcome.message());
    }

    @Test
    void aListenerThatDoesNotTakeTheNewCertificateGetsThePreviousOneBack() {
        TestCertificates.Issued issued = TestCertificates.leaf(TestCertificates.randomSerial(), "shop.example.com");
        cloud.ignoreSets(LB1 + ":443");

        DeploymentOutcome outcome = target.deploy(listener(LB1, 443), bundle(issued));

        assertThat(outcome.status()).as(outcome.message()).isEqualTo(DeploymentOutcome.Status.ROLLED_BACK);
        assertThat(outcome.message()).contains("uses server certificate " + oldId).contains("set back on SLB listener");
        assertThat(cloud.calls("SetLoadBalancerHTTPSListenerAttribute")).extracting(c -> c.parameters().get("ServerCertificateId"))
                .last().isEqualTo(oldId);
        assertThat(cloud.listenerCertificateId(LB1, 443)).isEqualTo(oldId);
    }

    @Test
    void aRotationDeletesOldUploadsNoListenerUses() {
        TestCertificates.Issued v1 = TestCertificates.leaf(BigInteger.valueOf(0xb1), "shop.example.com");
        TestCertificates.Issued v2 = TestCertificates.leaf(BigInteger.valueOf(0xb2), "shop.example.com");
        TestCertificates.Issued v3 = TestCertificates.leaf(BigInteger.valueOf(0xb3), "shop.example.com");

        target.deploy(listener(LB1, 443), bundle(v1));
        target.deploy(listener(LB1, 443), bundle(v2));
        DeploymentOutcome third = target.deploy(listener(LB1, 443), bundle(v3));

        assertThat(third.succeeded()).as(third.message()).isTrue();
        assertThat(third.message()).endsWith("removed 1 old certificate(s) from SLB's certificate store: b1");
        assertThat(cloud.serverCertificates.values()).extracting(FakeAlibabaCloud.StoredCertificate::serial)
                .as("the person's own certificate stays: certflow deletes only its uploads")
                .containsExactlyInAnyOrder("abc", "b2", "b3");
        assertThat(cloud.calls("DeleteServerCertificate")).singleElement()
                .satisfies(c -> assertThat(c.parameters()).containsEntry("RegionId", "cn-hangzhou"));
        assertThat(ledger.uploads("cred-slb-1")).isEqualTo(2);
    }

    @Test
    void errorsSayAlibabasCodeAndWhetherToTryAgain() {
        TestCertificates.Issued issued = TestCertificates.leaf(TestCertificates.randomSerial(), "shop.example.com");
        cloud.fail("UploadServerCertificate", 400, "Throttling.User", "Request was denied due to user flow control.", 1);
        DeploymentOutcome throttled = target.deploy(listener(LB1, 443), bundle(issued));
        cloud.fail("DescribeLoadBalancers", 400, "Forbidden.RAM", "User not authorized to operate on the specified resource.", 1);

        assertThat(throttled.retryable()).isTrue();
        assertThat(throttled.message()).contains("Throttling.User");
        assertThatThrownBy(() -> target.discover(access)).isInstanceOf(TargetException.class)
                .hasMessageContaining("Forbidden.RAM")
                .satisfies(e -> assertThat(((TargetException) e).retryable()).isFalse());
        assertThat(cloud.listenerCertificateId(LB1, 443)).isEqualTo(oldId);

        DeploymentOutcome gone = target.deploy(listener("lb-bp1deleted0000000", 443), bundle(issued));
        assertThat(gone.status()).isEqualTo(DeploymentOutcome.Status.FAILED);
        assertThat(gone.retryable()).isFalse();
        assertThat(gone.message()).contains("no longer exists").contains("InvalidLoadBalancerId.NotFound");

        TargetAccess unknown = new TargetAccess("cred-slb-2", Map.of("accessKeyId", "LTAI5tNobodyKnowsMe", "regionId",
                "cn-hangzhou", "endpoint", cloud.endpoint()), Map.of("accessKeySecret", SECRET));
        DeploymentOutcome refused = target.deploy(new TargetResource("r", "n", AlibabaSlbTarget.TYPE,
                Map.of("loadBalancerId", LB1, "listenerPort", "443"), List.of(), unknown), bundle(issued));
        assertThat(refused.retryable()).isFalse();
        assertThat(refused.message()).contains("InvalidAccessKeyId.NotFound").doesNotContain(SECRET);
    }

    @Test
    void restoreFindsThePreviousCertificateByItsFingerprint() {
        TestCertificates.Issued issued = TestCertificates.leaf(TestCertificates.randomSerial(), "shop.example.com");
        target.deploy(listener(LB1, 443), bundle(issued));

        DeploymentOutcome restored = target.restore(listener(LB1, 443), new PreviousCertificate(old.chainPem(), null));

        assertThat(restored.succeeded()).as(restored.message()).isTrue();
        assertThat(cloud.listenerCertificateId(LB1, 443)).isEqualTo(oldId);
        assertClean(restored.message());
    }

    @Test
    void settingsAreCheckedWithEveryProblemAtOnce() {
        assertThatThrownBy(() -> target.validate(Map.of("loadBalancerId", "i-abc", "listenerPort", "70000", "x", "y")))
                .isInstanceOf(InvalidTargetConfigException.class)
                .satisfies(e -> assertThat(((InvalidTargetConfigException) e).problems()).hasSize(3));
        target.validate(Map.of("loadBalancerId", LB1, "listenerPort", "443", "serverName", "shop.example.com"));
    }
}
