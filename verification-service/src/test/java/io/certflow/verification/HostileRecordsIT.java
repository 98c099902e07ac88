package io.certflow.verification;

import io.certflow.events.CertflowEvent;
import io.certflow.events.Topics;
import io.certflow.events.v1.CertificateIssued;
import io.certflow.events.v1.CertificateRequested;
import io.certflow.events.v1.ChallengeRequested;
import io.certflow.events.v1.IssuanceFailed;
import io.certflow.events.v1.RenewalDue;
import io.certflow.testsupport.ServiceIT;
import io.certflow.testsupport.TopicProbe;
import io.certflow.testsupport.messaging.HostileKind;
import io.certflow.testsupport.messaging.HostileRecords;
import io.certflow.testsupport.messaging.HostileRecordsContract;
import io.certflow.verification.persistence.ChallengeRecords;
import io.certflow.verification.persistence.DomainAuthorization;
import io.certflow.verification.persistence.VerificationRequest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import static org.awaitility.Awaitility.await;

/**
 * Every topic verification-service consumes gets every kind of hostile record ({@link HostileRecords}): each
 * is dead-lettered or skipped and counted, an event of another account does not touch account-a's request
 * or challenge records, and the valid event sent after them all is applied. The scheduled re-check is slowed
 * down so that only a RenewalDue moves a domain's next re-check to now.
 */
@ServiceIT
@TestPropertySource(properties = "certflow.verification.recheck.interval=1h")
class HostileRecordsIT extends HostileRecordsContract<HostileRecordsIT.Existing> {

    @Autowired
    TopicProbe topics;

    /** A certificate of account-a that verification-service knows, with the challenge of its first attempt. */
    record Existing(String certificateId, String domain, ChallengeRequested challenge) {
    }

    private static final Map<String, Function<Existing, Row>> ROWS = Map.of(
            Topics.CERTIFICATE_REQUESTED, c -> {
                CertificateRequested again = request(c.certificateId(), c.domain());
                return Row.of(again, mongo -> mongo.findById(c.certificateId(), VerificationRequest.class)
                        .hasApplied(again.eventId()));
            },
            Topics.CHALLENGE_REQUESTED, c -> {
                ChallengeRequested next = challenge(c.certificateId(), c.domain(), "att-2");
                return new Row(next, c.challenge(), List.of(HostileKind.values()), mongo -> {
                    ChallengeRecords records = mongo.findById(ChallengeRecords.idOf(c.certificateId(), "att-2"),
                            ChallengeRecords.class);
                    return records != null && records.hasApplied(next.eventId());
                });
            },
            Topics.CERTIFICATE_ISSUED, c -> onChallenge(c, new CertificateIssued(UUID.randomUUID(), Instant.now(),
                    "account-a", c.certificateId(), "att-1", "0a01", "ff0a01", Instant.now(),
                    Instant.now().plus(90, ChronoUnit.DAYS), List.of(c.domain()), "CN=Test CA", "PEM", null)),
            Topics.ISSUANCE_FAILED, c -> onChallenge(c, new IssuanceFailed(UUID.randomUUID(), Instant.now(), "account-a",
                    c.certificateId(), "att-1", "the CA said no", "urn:ietf:params:acme:error:rejectedIdentifier", false)),
            Topics.RENEWAL_DUE, c -> {
                RenewalDue due = new RenewalDue(UUID.randomUUID(), Instant.now(), "account-a", c.certificateId(), "0a01",
                        Instant.now(), "due", false);
                return Row.of(due, mongo -> {
                    DomainAuthorization authorization = mongo.findById(DomainAuthorization.idOf("account-a", c.domain()),
                            DomainAuthorization.class);
                    return authorization.getRecheckAt() != null && !authorization.getRecheckAt().isAfter(Instant.now());
                });
            });

    @Override
    protected Map<String, Function<Existing, Row>> rows() {
        return ROWS;
    }

    /** The owner of the request, if its first attempt's challenge records have the same one. */
    @Override
    protected String ownerOf(Existing existing) {
        String owner = mongo.findById(existing.certificateId(), VerificationRequest.class).getAccountId();
        return owner.equals(mongo.findById(ChallengeRecords.idOf(existing.certificateId(), "att-1"), ChallengeRecords.class)
                .getAccountId()) ? owner : null;
    }

    @Override
    protected Existing existing() {
        String id = "crt-" + UUID.randomUUID().toString().substring(0, 8);
        String domain = id + ".hostile.example";
        ChallengeRequested challenge = challenge(id, domain, "att-1");
        topics.publish(request(id, domain));
        await().atMost(WAIT).until(() -> mongo.findById(id, VerificationRequest.class) != null);
        topics.publish(challenge);
        await().atMost(WAIT).until(() -> mongo.findById(ChallengeRecords.idOf(id, "att-1"), ChallengeRecords.class) != null);
        return new Existing(id, domain, challenge);
    }

    private static Row onChallenge(Existing existing, CertflowEvent valid) {
        return Row.of(valid, mongo -> mongo.findById(ChallengeRecords.idOf(existing.certificateId(), "att-1"),
                ChallengeRecords.class).hasApplied(valid.eventId()));
    }

    private static CertificateRequested request(String id, String domain) {
        return new CertificateRequested(UUID.randomUUID(), Instant.now(), "account-a", id, "ord-" + id, List.of(domain),
                "dv-single", 1, Instant.now().plus(365, ChronoUnit.DAYS), true, null, null);
    }

    private static ChallengeRequested challenge(String id, String domain, String attemptId) {
        return new ChallengeRequested(UUID.randomUUID(), Instant.now(), "account-a", id, attemptId,
                List.of(new ChallengeRequested.DnsChallenge(domain, "_acme-challenge." + domain + ".", "txt-" + attemptId)));
    }
}
