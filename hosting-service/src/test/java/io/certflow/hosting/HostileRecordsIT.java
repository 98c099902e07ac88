package io.certflow.hosting;

import io.certflow.events.CertflowEvent;
import io.certflow.events.Topics;
import io.certflow.events.v1.CertificateIssued;
import io.certflow.events.v1.CertificateRequested;
import io.certflow.events.v1.CertificateRevoked;
import io.certflow.events.v1.DeploymentCompleted;
import io.certflow.events.v1.DomainVerificationLost;
import io.certflow.events.v1.IssuanceFailed;
import io.certflow.events.v1.OrderCancelled;
import io.certflow.events.v1.RenewalWindowChanged;
import io.certflow.hosting.managing.ManagedCertificate;
import io.certflow.testsupport.ServiceIT;
import io.certflow.testsupport.TopicProbe;
import io.certflow.testsupport.messaging.HostileRecords;
import io.certflow.testsupport.messaging.HostileRecordsContract;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * Every topic hosting-service consumes gets every kind of hostile record ({@link HostileRecords}): each is
 * dead-lettered or skipped and counted, an event of another account does not touch account-a's
 * certificate, and the valid event sent after them all is applied to the certificate's document.
 */
@ServiceIT
class HostileRecordsIT extends HostileRecordsContract<String> {

    @Autowired
    TopicProbe topics;

    /** For each consumed topic, a valid event of account-a for a hosted certificate (serial 0a01). */
    private static final Map<String, Function<String, CertflowEvent>> VALID = Map.of(
            Topics.CERTIFICATE_REQUESTED, id -> request(id),
            Topics.CERTIFICATE_ISSUED, id -> issued(id, "0a02"),
            Topics.ISSUANCE_FAILED, id -> new IssuanceFailed(UUID.randomUUID(), Instant.now(), "account-a", id, "att-x",
                    "the CA said no", "urn:ietf:params:acme:error:rejectedIdentifier", false),
            Topics.DEPLOYMENT_COMPLETED, id -> new DeploymentCompleted(UUID.randomUUID(), Instant.now(), "account-a", id,
                    "job-1", "task-1", "0a01", "SUBMIT", true, List.of()),
            Topics.ORDER_CANCELLED, id -> new OrderCancelled(UUID.randomUUID(), Instant.now(), "account-a", id,
                    "ord-" + id, "asked", false),
            Topics.CERTIFICATE_REVOKED, id -> new CertificateRevoked(UUID.randomUUID(), Instant.now(), "account-a", id,
                    "0a01", "superseded", Instant.now()),
            Topics.DOMAIN_VERIFICATION_LOST, id -> new DomainVerificationLost(UUID.randomUUID(), Instant.now(), "account-a",
                    id, "www.hostile.example", "CNAME_DELEGATION", "NOT_DELEGATED", "the CNAME is gone", Instant.now()),
            Topics.RENEWAL_WINDOW_CHANGED, id -> new RenewalWindowChanged(UUID.randomUUID(), Instant.now(), "account-a", id,
                    "0a01", Instant.now().plus(40, ChronoUnit.DAYS), Instant.now().plus(41, ChronoUnit.DAYS), null,
                    Instant.now()));

    @Override
    protected Map<String, Function<String, Row>> rows() {
        return VALID.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> id -> {
            CertflowEvent valid = e.getValue().apply(id);
            return Row.of(valid, mongo -> mongo.findById(id, ManagedCertificate.class).hasApplied(valid.eventId()));
        }));
    }

    @Override
    protected String existing() {
        return hostedCertificate();
    }

    @Override
    protected String ownerOf(String id) {
        return mongo.findById(id, ManagedCertificate.class).getAccountId();
    }

    private String hostedCertificate() {
        String id = "cert-" + UUID.randomUUID();
        CertificateIssued issued = issued(id, "0a01");
        topics.publish(request(id));
        topics.publish(issued);
        await().atMost(WAIT).until(() -> {
            ManagedCertificate certificate = mongo.findById(id, ManagedCertificate.class);
            return certificate != null && certificate.hasApplied(issued.eventId());
        });
        return id;
    }

    private static CertificateRequested request(String id) {
        return new CertificateRequested(UUID.randomUUID(), Instant.now(), "account-a", id, "ord-" + id,
                List.of("www.hostile.example"), "dv-single", 1, Instant.now().plus(365, ChronoUnit.DAYS), true, null, null);
    }

    private static CertificateIssued issued(String id, String serial) {
        Instant notBefore = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        return new CertificateIssued(UUID.randomUUID(), Instant.now(), "account-a", id, "att-" + serial, serial,
                "ff" + serial, notBefore, notBefore.plus(90, ChronoUnit.DAYS), List.of("www.hostile.example"), "CN=Test CA",
                "PEM", null);
    }
}
