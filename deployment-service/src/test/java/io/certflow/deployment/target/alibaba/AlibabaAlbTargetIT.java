package io.certflow.deployment.target.alibaba;

import io.certflow.deployment.target.CertificateBundle;
import io.certflow.deployment.target.DeploymentOutcome;
import io.certflow.deployment.target.DiscoveredResource;
import io.certflow.deployment.target.InvalidTargetConfigException;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code alibaba-alb} target through the official ALB and CAS SDKs against {@link FakeAlibabaCloud}, which checks
 * Action, Version, parameters and the ACS3 signature, applies listener changes asynchronously (Associating, then
 * Associated) and keeps CAS's certificates with their PEM.
 */
class AlibabaAlbTargetIT {

    static final String KEY_ID = "LTAI5tTestAlbKey0001";
    static final String SECRET = "alb-secret-Mn2Bv4Cx6Zl8Kj0Hg2";

    private FakeAlibabaCloud cloud;
    private InMemoryCloudCertificateLedger ledger;
    private AlibabaAlbTarget target;
    private TargetAccess access;
    private String oldCasId;

    @BeforeEach
    void start() throws Exception {
        cloud = new FakeAlibabaCloud().accessKey(KEY_ID, SECRET);
        ledger = new InMemoryCloudCertificateLedger();
        target = new AlibabaAlbTarget(new AlibabaClients(AlibabaCdnTargetIT.properties()), AlibabaCdnTargetIT.properties(),
                ledger, 2);
        access = new TargetAccess("cred-alb-1", Map.of("accessKeyId", KEY_ID, "regionId", "cn-hangzhou",
                "endpoint", cloud.endpoint()), Map.of("accessKeySecret", SECRET));
        TestCertificates.Issued old = TestCertificates.leaf(BigInteger.valueOf(0xa1b), "api.example.com", "www.example.com");
        oldCasId = cloud.casCertificate("bought", old.chainPem(), old.keyPem());
        cloud.albListener("lsn-aaaa0001", "alb-one", 443, oldCasId);
        cloud.albListener("lsn-aaaa0002", "alb-one", 8443, oldCasId);
        cloud.albListener("lsn-bbbb0001", "alb-two", 443, oldCasId);
    }

    @AfterEach
    void stop() {
        cloud.close();
    }

    private TargetResource listener(String id) {
        return new TargetResource("res-" + id, id, AlibabaAlbTarget.TYPE, Map.of("listenerId", id),
                List.of("api.example.com"), access);
    }

    private static CertificateBundle bundle(TestCertificates.Issued issued) {
        return new CertificateBundle(issued.chainPem(), issued.keyPem());
    }

    @Test
    void discoversHttpsListenersAcrossPagesWithTheirCertificatesNames() {
        List<DiscoveredResource> found = target.discover(access);

        assertThat(found).extracting(DiscoveredResource::externalId).containsExactly("lsn-aaaa0001", "lsn-aaaa0002", "lsn-bbbb0001");
        assertThat(found.get(0).domains()).containsExactly("api.example.com", "www.example.com");
        assertThat(found.get(0).name()).isEqualTo("alb-one HTTPS:443");
        assertThat(cloud.calls("ListListeners")).hasSize(2);
        assertThat(cloud.calls("GetUserCertificateDetail")).allSatisfy(c -> assertThat(c.parameters())
                .as("CAS is never asked for the key").containsEntry("CertFilter", "true"));
        assertThat(cloud.rejected()).isEmpty();
    }

    @Test
    void deploysOneUploadToTwoListenersAndWaitsForTheAssociation() {
        TestCertificates.Issued issued = TestCertificates.leaf(TestCertificates.randomSerial(), "api.example.com");

        DeploymentOutcome first = target.deploy(listener("lsn-aaaa0001"), bundle(issued));
        DeploymentOutcome second = target.deploy(listener("lsn-bbbb0001"), bundle(issued));

        assertThat(first.succeeded()).as(first.message()).isTrue();
        assertThat(second.succeeded()).as(second.message()).isTrue();
        assertThat(first.servedSerialNumber()).isEqualTo(issued.serialHex());
        assertThat(cloud.albSerial("lsn-aaaa0001")).isEqualTo(issued.serialHex());
        assertThat(cloud.albSerial("lsn-bbbb0001")).isEqualTo(issued.serialHex());
        assertThat(cloud.albSerial("lsn-aaaa0002")).isEqualTo("a1b");
        assertThat(cloud.calls("UploadUserCertificate")).hasSize(1);
        String casId = cloud.albListeners.get("lsn-aaaa0001").certificateId;
        assertThat(casId).endsWith("-cn-hangzhou");
        assertThat(cloud.calls("UpdateListenerAttribute").get(0).parameters())
                .containsEntry("ListenerId", "lsn-aaaa0001").containsEntry("Certificates.1.CertificateId", casId);
        assertThat(cloud.rejected()).isEmpty();
        assertThat(first.message()).doesNotContain(SECRET);
    }

    @Test
    void aListenerThatDoesNotTakeTheNewCertificateGetsThePreviousOneBack() {
        TestCertificates.Issued issued = TestCertificates.leaf(TestCertificates.randomSerial(), "api.example.com");
        cloud.ignoreSets("lsn-aaaa0001");

        DeploymentOutcome outcome = target.deploy(listener("lsn-aaaa0001"), bundle(issued));

        assertThat(outcome.status()).as(outcome.message()).isEqualTo(DeploymentOutcome.Status.ROLLED_BACK);
        assertThat(outcome.servedSerialNumber()).isEqualTo("a1b");
        assertThat(cloud.calls("UpdateListenerAttribute")).extracting(c -> c.parameters().get("Certificates.1.CertificateId"))
                .last().isEqualTo(oldCasId + "-cn-hangzhou");
    }

    @Test
    void aRefusedUpdateIsRolledBackAndABusyListenerIsRetryable() {
        TestCertificates.Issued issued = TestCertificates.leaf(TestCertificates.randomSerial(), "api.example.com");
        cloud.fail("UpdateListenerAttribute", 400, "IncorrectStatus.Listener", "The listener is being configured.", 1);
        DeploymentOutcome busy = target.deploy(listener("lsn-aaaa0001"), bundle(issued));
        cloud.fail("UpdateListenerAttribute", 400, "OperationDenied.CertificateNotSupported", "Not supported.", 1);
        DeploymentOutcome refused = target.deploy(listener("lsn-aaaa0001"), bundle(issued));
        DeploymentOutcome gone = target.deploy(listener("lsn-gone0001"), bundle(issued));

        assertThat(busy.retryable()).as(busy.message()).isTrue();
        assertThat(refused.status()).as(refused.message()).isEqualTo(DeploymentOutcome.Status.ROLLED_BACK);
        assertThat(refused.message()).contains("OperationDenied.CertificateNotSupported");
        assertThat(cloud.albSerial("lsn-aaaa0001")).isEqualTo("a1b");
        assertThat(gone.status()).isEqualTo(DeploymentOutcome.Status.FAILED);
        assertThat(gone.message()).contains("no longer exists").contains("ResourceNotFound.Listener");
    }

    @Test
    void aRotationDeletesOldUploadsNoListenerUses() {
        TestCertificates.Issued v1 = TestCertificates.leaf(BigInteger.valueOf(0xc1), "api.example.com");
        TestCertificates.Issued v2 = TestCertificates.leaf(BigInteger.valueOf(0xc2), "api.example.com");
        TestCertificates.Issued v3 = TestCertificates.leaf(BigInteger.valueOf(0xc3), "api.example.com");

        target.deploy(listener("lsn-aaaa0001"), bundle(v1));
        target.deploy(listener("lsn-aaaa0001"), bundle(v2));
        DeploymentOutcome third = target.deploy(listener("lsn-aaaa0001"), bundle(v3));

        assertThat(third.message()).endsWith("removed 1 old certificate(s) from the account's certificate store: c1");
        assertThat(cloud.cas.values()).extracting(FakeAlibabaCloud.StoredCertificate::serial)
                .containsExactlyInAnyOrder("a1b", "c2", "c3");
    }

    @Test
    void settingsAreChecked() {
        assertThatThrownBy(() -> target.validate(Map.of("listenerId", "lb-123")))
                .isInstanceOf(InvalidTargetConfigException.class).hasMessageContaining("not an ALB listener id");
        target.validate(Map.of("listenerId", "lsn-bp1bpn0kn908w4nbw", "loadBalancerId", "alb-x"));
    }
}
