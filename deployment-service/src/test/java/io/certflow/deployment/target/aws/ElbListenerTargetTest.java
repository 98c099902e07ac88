package io.certflow.deployment.target.aws;

import io.certflow.deployment.target.DeploymentOutcome;
import io.certflow.deployment.target.DiscoveredResource;
import io.certflow.deployment.target.InvalidTargetConfigException;
import io.certflow.deployment.target.TargetResource;
import io.certflow.deployment.testing.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.certflow.deployment.target.aws.AwsTestAccount.REGION;
import static io.certflow.deployment.target.aws.AwsTestAccount.SECRET;
import static io.certflow.deployment.target.aws.AwsTestAccount.bundle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The load balancer listener target against {@link FakeAws} (ELBv2's Query API and ACM's JSON 1.1, every request's
 * SigV4 signature recomputed by the test): discovery of HTTPS/TLS listeners with the names of their certificates,
 * one import per credential and region, proof through {@code DescribeListeners}, rollback, and AWS's refusals.
 */
class ElbListenerTargetTest {

    private static final String API = "api.shop.example";

    private final TestCertificates.Issued old = TestCertificates.leaf(TestCertificates.randomSerial(), API, "*.api.shop.example");
    private AwsTestAccount account;
    private ElbListenerTarget target;
    private FakeAws.AcmCertificate oldInAcm;
    private FakeAws.Listener https;
    private FakeAws.Listener tls;

    @BeforeEach
    void start() throws Exception {
        account = new AwsTestAccount(2);
        target = new ElbListenerTarget(account.properties, account.acm);
        oldInAcm = account.preexisting(REGION, old);
        FakeAws.LoadBalancer alb = account.aws.loadBalancer(REGION, "shop-alb", "application");
        FakeAws.LoadBalancer nlb = account.aws.loadBalancer(REGION, "shop-nlb", "network");
        account.aws.loadBalancer(REGION, "empty-alb", "application");
        account.aws.loadBalancer("us-west-2", "elsewhere", "application");
        account.aws.listener(alb, 80, "HTTP", null);
        https = account.aws.listener(alb, 443, "HTTPS", oldInAcm.arn);
        tls = account.aws.listener(nlb, 8443, "TLS", oldInAcm.arn);
    }

    @AfterEach
    void stop() {
        assertThat(account.aws.problems()).as("requests that break AWS's documented format").isEmpty();
        assertThat(account.aws.bodies()).as("the secret key never travels").noneMatch(b -> b.contains(SECRET));
        account.close();
    }

    private TargetResource listener(String arn) {
        return new TargetResource("r-1", "listener", ElbListenerTarget.TYPE, Map.of("listenerArn", arn), List.of(API),
                account.access());
    }

    @Test
    void listsTheHttpsAndTlsListenersOfTheRegionWithTheNamesOfTheirCertificates() {
        List<DiscoveredResource> found = target.discover(account.access());

        assertThat(found).extracting(DiscoveredResource::externalId).containsExactlyInAnyOrder(https.arn, tls.arn);
        DiscoveredResource alb = found.stream().filter(r -> r.externalId().equals(https.arn)).findFirst().orElseThrow();
        assertThat(alb.name()).isEqualTo("shop-alb:443 (HTTPS)");
        assertThat(alb.domains()).containsExactly(API, "*.api.shop.example");
        assertThat(alb.config()).containsExactly(Map.entry("listenerArn", https.arn));
        assertThat(account.aws.calls()).filteredOn(c -> c.service().equals("elasticloadbalancing"))
                .allMatch(c -> c.region().equals(REGION));
        assertThat(account.aws.count("DescribeLoadBalancers")).as("three load balancers, pages of two").isEqualTo(2);
    }

    @Test
    void importsIntoAcmInTheListenersRegionAndProvesTheListenerUsesIt() {
        TestCertificates.Issued next = TestCertificates.leaf(TestCertificates.randomSerial(), API, "*.api.shop.example");

        DeploymentOutcome outcome = target.deploy(listener(https.arn), bundle(next));

        assertThat(outcome.succeeded()).as(outcome.message()).isTrue();
        assertThat(outcome.servedSerialNumber()).isEqualTo(next.serialHex());
        String arn = account.aws.listener(https.arn).certificateArn;
        assertThat(arn).startsWith("arn:aws:acm:eu-west-1:123456789012:certificate/").isNotEqualTo(oldInAcm.arn);
        assertThat(account.aws.certificate(arn).serialHex()).isEqualTo(next.serialHex());
        assertThat(account.aws.listener(tls.arn).certificateArn).as("the other listener is untouched").isEqualTo(oldInAcm.arn);
        assertThat(outcome.previous().serialNumber()).contains(old.serialHex());
        assertThat(target.readBack(listener(https.arn)).serialNumber()).contains(next.serialHex());
        assertThat(account.aws.count("ModifyListener")).isEqualTo(1);
    }

    @Test
    void twoListenersOfOneCredentialShareOneImport() {
        TestCertificates.Issued next = TestCertificates.leaf(TestCertificates.randomSerial(), API);

        assertThat(target.deploy(listener(https.arn), bundle(next)).succeeded()).isTrue();
        assertThat(target.deploy(listener(tls.arn), bundle(next)).succeeded()).isTrue();

        assertThat(account.aws.count("ImportCertificate")).isEqualTo(1);
        assertThat(account.aws.listener(tls.arn).certificateArn).isEqualTo(account.aws.listener(https.arn).certificateArn);
    }

    @Test
    void whenTheListenerDoesNotShowTheNewCertificateThePreviousOneIsPutBack() {
        TestCertificates.Issued theirs = TestCertificates.leaf(TestCertificates.randomSerial(), API);
        FakeAws.AcmCertificate theirsInAcm = account.preexisting(REGION, theirs);
        AtomicBoolean once = new AtomicBoolean();
        account.aws.afterModifyListener(l -> {
            if (once.compareAndSet(false, true)) {
                l.certificateArn = theirsInAcm.arn;
            }
        });

        DeploymentOutcome outcome = target.deploy(listener(https.arn),
                bundle(TestCertificates.leaf(TestCertificates.randomSerial(), API)));

        assertThat(outcome.status()).as(outcome.message()).isEqualTo(DeploymentOutcome.Status.ROLLED_BACK);
        assertThat(outcome.servedSerialNumber()).isEqualTo(old.serialHex());
        assertThat(account.aws.listener(https.arn).certificateArn).isEqualTo(oldInAcm.arn);
    }

    @Test
    void aListenerDeletedSinceItWasListedFailsWithAwsCode() {
        String gone = https.arn.substring(0, https.arn.lastIndexOf('/') + 1) + "feedfacefeedface";

        DeploymentOutcome outcome = target.deploy(listener(gone), bundle(TestCertificates.leaf(TestCertificates.randomSerial(), API)));

        assertThat(outcome.status()).isEqualTo(DeploymentOutcome.Status.FAILED);
        assertThat(outcome.retryable()).isFalse();
        assertThat(outcome.message()).contains("no longer exists").contains("ListenerNotFound");
        assertThat(account.aws.count("ImportCertificate")).isZero();
    }

    @Test
    void refusalsFailWithAwsCodeAndThrottlingIsRetryable() {
        TestCertificates.Issued next = TestCertificates.leaf(TestCertificates.randomSerial(), API);
        account.aws.fail("ImportCertificate", 1, 400, "AccessDeniedException",
                "User: arn:aws:iam::123456789012:user/certflow is not authorized to perform: acm:ImportCertificate");
        DeploymentOutcome denied = target.deploy(listener(https.arn), bundle(next));
        account.aws.fail("ModifyListener", 1, 400, "Throttling", "Rate exceeded");
        DeploymentOutcome throttled = target.deploy(listener(https.arn), bundle(next));
        account.aws.fail("DescribeListeners", 1, 503, "ServiceUnavailable", "Service Unavailable");
        DeploymentOutcome unavailable = target.deploy(listener(https.arn), bundle(next));

        assertThat(denied.retryable()).isFalse();
        assertThat(denied.message()).contains("ACM ImportCertificate (eu-west-1): AccessDeniedException")
                .contains("acm:ImportCertificate");
        assertThat(throttled.retryable()).as(throttled.message()).isTrue();
        assertThat(throttled.message()).contains("Throttling");
        assertThat(unavailable.retryable()).as(unavailable.message()).isTrue();
        assertThat(account.aws.listener(https.arn).certificateArn).isEqualTo(oldInAcm.arn);

        DeploymentOutcome later = target.deploy(listener(https.arn), bundle(next));
        assertThat(later.succeeded()).as(later.message()).isTrue();
    }

    @Test
    void restorePutsThePreviousDefaultCertificateBack() {
        DeploymentOutcome outcome = target.deploy(listener(https.arn),
                bundle(TestCertificates.leaf(TestCertificates.randomSerial(), API)));

        DeploymentOutcome restored = target.restore(listener(https.arn), outcome.previous());

        assertThat(restored.succeeded()).as(restored.message()).isTrue();
        assertThat(restored.servedSerialNumber()).isEqualTo(old.serialHex());
        assertThat(account.aws.listener(https.arn).certificateArn).isEqualTo(oldInAcm.arn);
    }

    @Test
    void aListenerArnIsChecked() {
        assertThatThrownBy(() -> target.validate(Map.of("listenerArn", "arn:aws:elasticloadbalancing:eu-west-1:123:loadbalancer/app/x/1")))
                .isInstanceOf(InvalidTargetConfigException.class)
                .hasMessageContaining("not the ARN of an Application or Network Load Balancer listener");
        assertThatThrownBy(() -> target.validate(Map.of())).hasMessageContaining("'listenerArn' is required");
        target.validate(Map.of("listenerArn", https.arn));
    }
}
