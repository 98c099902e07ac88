package io.certflow.deployment.target.aws;

import io.certflow.deployment.target.CertificateBundle;
import io.certflow.deployment.target.DeploymentOutcome;
import io.certflow.deployment.target.DiscoveredResource;
import io.certflow.deployment.target.PreviousCertificate;
import io.certflow.deployment.target.ReadBack;
import io.certflow.deployment.target.ServedCertificate;
import io.certflow.deployment.target.TargetSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Certificate;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeListenersResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeLoadBalancersResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Deploys to an HTTPS or TLS listener of an Application or Network Load Balancer ({@code aws-elb}, Elastic Load
 * Balancing v2): imports the version into ACM in the listener's region once per credential, makes it the listener's
 * default certificate with {@code ModifyListener}, and proves it with {@code DescribeListeners} (the listener names the
 * new ARN, and that ARN holds the new serial in ACM). If the listener ends up with anything else, its previous default
 * certificate is put back. Certificates added to the listener's SNI list are left alone.
 */
public class ElbListenerTarget extends AwsTarget<ElbListenerTarget.Config> {

    /** The resource type name. */
    public static final String TYPE = "aws-elb";

    private static final Logger log = LoggerFactory.getLogger(ElbListenerTarget.class);
    private static final Pattern LISTENER_ARN = Pattern.compile(
            "arn:aws[a-z-]*:elasticloadbalancing:([a-z0-9-]+):\\d{12}:listener/(app|net)/[A-Za-z0-9-]{1,32}/[0-9a-f]+/[0-9a-f]+");
    private static final Set<String> SECURE = Set.of("HTTPS", "TLS");

    /**
     * The settings of one listener.
     *
     * @param listenerArn the listener's ARN
     * @param region      the region in it (where the certificate must be imported)
     */
    public record Config(String listenerArn, String region) {
    }

    public ElbListenerTarget(AwsTargetProperties properties, AcmCertificates acm) {
        super(TYPE, "AWS Elastic Load Balancing (ALB/NLB listener)", properties, acm);
    }

    @Override
    protected Config parse(Map<String, String> config) {
        TargetSettings settings = new TargetSettings(config, Set.of("listenerArn"));
        String arn = settings.value("listenerArn");
        String region = null;
        if (arn == null) {
            settings.problem("'listenerArn' is required (arn:aws:elasticloadbalancing:REGION:ACCOUNT:listener/app/NAME/ID/ID)");
        } else {
            Matcher m = LISTENER_ARN.matcher(arn);
            if (m.matches()) {
                region = m.group(1);
            } else {
                settings.problem("'listenerArn' is not the ARN of an Application or Network Load Balancer listener");
            }
        }
        settings.check(TYPE);
        return new Config(arn, region);
    }

    @Override
    protected List<DiscoveredResource> list(AwsClients clients) {
        String region = clients.credential().region();
        ElasticLoadBalancingV2Client elb = clients.elb(region);
        List<DiscoveredResource> found = new ArrayList<>();
        String marker = null;
        do {
            String from = marker;
            DescribeLoadBalancersResponse page = elb.describeLoadBalancers(r -> r.marker(from));
            for (LoadBalancer lb : page.loadBalancers()) {
                String listenerMarker = null;
                do {
                    String listenersFrom = listenerMarker;
                    DescribeListenersResponse listeners = elb.describeListeners(r -> r.loadBalancerArn(lb.loadBalancerArn())
                            .marker(listenersFrom));
                    for (Listener listener : listeners.listeners()) {
                        if (!SECURE.contains(listener.protocolAsString())) {
                            continue;
                        }
                        String name = lb.loadBalancerName() + ":" + listener.port() + " (" + listener.protocolAsString() + ")";
                        found.add(new DiscoveredResource(listener.listenerArn(), name, domains(clients, listener),
                                Map.of("listenerArn", listener.listenerArn())));
                    }
                    listenerMarker = listeners.nextMarker();
                } while (listenerMarker != null && !listenerMarker.isEmpty());
            }
            marker = page.nextMarker();
        } while (marker != null && !marker.isEmpty());
        return found;
    }

    /** The names of the listener's default certificate, as ACM tells them; empty for an IAM certificate or none. */
    private List<String> domains(AwsClients clients, Listener listener) {
        String arn = defaultCertificate(listener);
        if (!AcmCertificates.isAcmArn(arn)) {
            return List.of();
        }
        try {
            return acm.describe(clients, arn).dnsNames();
        } catch (SdkException e) {
            log.info("cannot read the names of {} for listener {}: {}", arn, listener.listenerArn(),
                    AwsFailure.of("ACM DescribeCertificate", e).describe());
            return List.of();
        }
    }

    @Override
    protected ReadBack read(AwsClients clients, Config config) {
        return readCertificate(clients, defaultCertificate(listener(clients, config)));
    }

    @Override
    protected DeploymentOutcome install(AwsClients clients, Config config, CertificateBundle bundle, String wanted) {
        Listener listener;
        try {
            listener = listener(clients, config);
        } catch (SdkException e) {
            AwsFailure failure = AwsFailure.of("ELB DescribeListeners", e);
            return outcome(failure, failure.is("ListenerNotFound")
                    ? "nothing deployed: listener " + config.listenerArn() + " no longer exists" : "nothing deployed");
        }
        if (!SECURE.contains(listener.protocolAsString())) {
            return DeploymentOutcome.failed(null, "nothing deployed: the listener speaks " + listener.protocolAsString()
                    + ", not HTTPS or TLS, and takes no certificate", null);
        }
        String before = defaultCertificate(listener);
        String arn;
        try {
            arn = acm.importOnce(clients, config.region(), bundle);
        } catch (SdkException e) {
            return outcome(AwsFailure.of("ACM ImportCertificate (" + config.region() + ")", e), "nothing deployed");
        }
        PreviousCertificate previous = previous(clients, before);
        AwsFailure modifyFailure = null;
        if (!arn.equals(before)) {
            try {
                modify(clients, config, arn);
            } catch (SdkException e) {
                modifyFailure = AwsFailure.of("ELB ModifyListener", e);
                log.warn("ModifyListener of {} failed: {}", config.listenerArn(), modifyFailure.describe());
            }
        }
        String after;
        try {
            after = defaultCertificate(listener(clients, config));
        } catch (SdkException e) {
            AwsFailure readFailure = AwsFailure.of("ELB DescribeListeners", e);
            if (modifyFailure != null) {
                return outcome(modifyFailure, "not deployed (and reading the listener back failed too: "
                        + readFailure.describe() + ")");
            }
            String message = "listener " + config.listenerArn() + " was modified but cannot be read back: " + readFailure.describe();
            return readFailure.retryable() ? DeploymentOutcome.unreachable(message) : DeploymentOutcome.failed(null, message, previous);
        }
        if (arn.equals(after)) {
            ServedCertificate served;
            try {
                served = acm.describe(clients, arn);
            } catch (SdkException e) {
                AwsFailure readFailure = AwsFailure.of("ACM DescribeCertificate (" + config.region() + ")", e);
                String message = "the listener uses " + arn + " but ACM cannot tell its serial: " + readFailure.describe();
                return readFailure.retryable() ? DeploymentOutcome.unreachable(message) : DeploymentOutcome.failed(null, message, previous);
            }
            if (wanted.equals(served.serialNumber())) {
                String removed = acm.removeOld(clients, config.region(), arn);
                return DeploymentOutcome.succeeded(wanted, "listener " + config.listenerArn() + " uses ACM certificate "
                        + arn + " (serial " + wanted + ")" + (modifyFailure == null ? ""
                        : " although ModifyListener answered " + modifyFailure.code()) + removed, previous);
            }
            return rollBack(clients, config, before, previous, "ACM certificate " + arn + " holds serial "
                    + served.serialNumber() + ", not " + wanted);
        }
        if (modifyFailure != null && Objects.equals(after, before)) {
            String message = "not deployed: " + modifyFailure.describe() + "; nothing changed, the listener still uses "
                    + describe(before);
            return modifyFailure.retryable() ? DeploymentOutcome.unreachable(message)
                    : DeploymentOutcome.failed(servedSerial(clients, before), message, null);
        }
        return rollBack(clients, config, before, previous, "after ModifyListener the listener uses " + describe(after)
                + " instead of " + arn);
    }

    @Override
    protected DeploymentOutcome restoreOn(AwsClients clients, Config config, Map<String, String> reference) {
        String wanted = reference.get("certificateArn");
        if (wanted == null) {
            return DeploymentOutcome.failed(null, "nothing restored: the listener had no default certificate before", null);
        }
        modify(clients, config, wanted);
        String after = defaultCertificate(listener(clients, config));
        if (wanted.equals(after)) {
            return DeploymentOutcome.succeeded(servedSerial(clients, after), "listener " + config.listenerArn() + " uses "
                    + describe(after) + " again", null);
        }
        return DeploymentOutcome.failed(servedSerial(clients, after), "restored " + describe(wanted)
                + " but the listener uses " + describe(after), null);
    }

    private DeploymentOutcome rollBack(AwsClients clients, Config config, String before, PreviousCertificate previous,
                                       String reason) {
        if (before == null) {
            return DeploymentOutcome.failed(null, reason + "; the listener had no default certificate before, nothing "
                    + "to put back", previous);
        }
        log.warn("listener {}: {}; putting back {}", config.listenerArn(), reason, before);
        try {
            modify(clients, config, before);
            String now = defaultCertificate(listener(clients, config));
            if (before.equals(now)) {
                return DeploymentOutcome.rolledBack(servedSerial(clients, now), reason + "; the previous certificate ("
                        + describe(before) + ") was put back");
            }
            return DeploymentOutcome.failed(servedSerial(clients, now), reason + "; after putting back the previous "
                    + "certificate the listener uses " + describe(now), previous);
        } catch (SdkException e) {
            return DeploymentOutcome.failed(null, reason + "; putting back " + describe(before) + " FAILED: "
                    + AwsFailure.of("ELB ModifyListener", e).describe(), previous);
        }
    }

    private static void modify(AwsClients clients, Config config, String certificateArn) {
        clients.elb(config.region()).modifyListener(r -> r.listenerArn(config.listenerArn())
                .certificates(Certificate.builder().certificateArn(certificateArn).build()));
    }

    private static Listener listener(AwsClients clients, Config config) {
        List<Listener> listeners = clients.elb(config.region()).describeListeners(r -> r.listenerArns(config.listenerArn()))
                .listeners();
        if (listeners.isEmpty()) {
            throw software.amazon.awssdk.services.elasticloadbalancingv2.model.ListenerNotFoundException.builder()
                    .message("listener " + config.listenerArn() + " is not listed")
                    .awsErrorDetails(software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder()
                            .errorCode("ListenerNotFound").errorMessage("the listener is not listed").build())
                    .statusCode(400).build();
        }
        return listeners.get(0);
    }

    private static String defaultCertificate(Listener listener) {
        if (!listener.hasCertificates() || listener.certificates().isEmpty()) {
            return null;
        }
        return listener.certificates().stream().filter(c -> !Boolean.FALSE.equals(c.isDefault()))
                .map(Certificate::certificateArn).findFirst().orElse(null);
    }

    private ReadBack readCertificate(AwsClients clients, String arn) {
        if (arn == null) {
            return ReadBack.unknown("the listener has no default certificate");
        }
        if (!AcmCertificates.isAcmArn(arn)) {
            return ReadBack.unknown("the listener uses " + arn + ", which certflow does not read (not in ACM)");
        }
        return ReadBack.of(acm.describe(clients, arn));
    }

    private String servedSerial(AwsClients clients, String arn) {
        try {
            return readCertificate(clients, arn).serialNumber().orElse(null);
        } catch (SdkException e) {
            return null;
        }
    }

    private PreviousCertificate previous(AwsClients clients, String before) {
        Map<String, String> reference = new LinkedHashMap<>();
        reference.put("certificateArn", before);
        Optional<String> pem = AcmCertificates.isAcmArn(before) ? acm.pem(clients, before) : Optional.empty();
        return PreviousAwsCertificate.of(reference, pem);
    }

    private static String describe(String arn) {
        return arn == null ? "no certificate" : "certificate " + arn;
    }
}
