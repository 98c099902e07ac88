package io.certflow.issuance;

import io.certflow.events.CertflowEvent;
import io.certflow.events.Topics;
import io.certflow.events.v1.CertificateRequested;
import io.certflow.events.v1.ChallengeReady;
import io.certflow.events.v1.DomainsVerified;
import io.certflow.events.v1.OrderCancelled;
import io.certflow.events.v1.RenewalDue;
import io.certflow.issuance.persistence.IssuanceAttempt;
import io.certflow.issuance.persistence.ManagedCertificateRecord;
import io.certflow.testsupport.ServiceIT;
import io.certflow.testsupport.TopicProbe;
import io.certflow.testsupport.messaging.HostileRecords;
import io.certflow.testsupport.messaging.HostileRecordsContract;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import static org.awaitility.Awaitility.await;

/**
 * Every topic issuance-service consumes gets every kind of hostile record ({@link HostileRecords}): each is
 * dead-lettered or skipped and counted, an event of another account does not touch account-a's
 * certificate or attempt, and the valid event sent after them all is applied to its document. No CA is
 * needed: the directory points at a closed port, so attempts start and wait.
 */
@ServiceIT
@TestPropertySource(properties = {"certflow.issuance.ca.directory-url=https://127.0.0.1:9/dir",
        "certflow.issuance.key-encryption-key=AwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwM=",
        "certflow.issuance.poll-interval=1s", "certflow.issuance.backoff.initial=30s"})
class HostileRecordsIT extends HostileRecordsContract<HostileRecordsIT.Existing> {

    @Autowired
    TopicProbe topics;

    /** A certificate of account-a that issuance keeps, with its first attempt started. */
    record Existing(String certificateId, String attemptId) {
    }

    private static final Map<String, Function<Existing, Row>> ROWS = Map.of(
            Topics.CERTIFICATE_REQUESTED, c -> onRecord(c, request(c.certificateId())),
            Topics.DOMAINS_VERIFIED, c -> onRecord(c, verified(c.certificateId())),
            Topics.RENEWAL_DUE, c -> onRecord(c, new RenewalDue(UUID.randomUUID(), Instant.now(), "account-a",
                    c.certificateId(), "0a01", Instant.now(), "due", false)),
            Topics.ORDER_CANCELLED, c -> onRecord(c, new OrderCancelled(UUID.randomUUID(), Instant.now(), "account-a",
                    c.certificateId(), "ord-" + c.certificateId(), "asked", false)),
            Topics.CHALLENGE_READY, c -> {
                ChallengeReady ready = new ChallengeReady(UUID.randomUUID(), Instant.now(), "account-a", c.certificateId(),
                        c.attemptId(), false, "the delegation CNAME is gone");
                return Row.of(ready, mongo -> mongo.findById(c.attemptId(), IssuanceAttempt.class).hasApplied(ready.eventId()));
            });

    @Override
    protected Map<String, Function<Existing, Row>> rows() {
        return ROWS;
    }

    /** The owner of the certificate's record, if its first attempt has the same one. */
    @Override
    protected String ownerOf(Existing existing) {
        String owner = mongo.findById(existing.certificateId(), ManagedCertificateRecord.class).getAccountId();
        return owner.equals(mongo.findById(existing.attemptId(), IssuanceAttempt.class).getAccountId()) ? owner : null;
    }

    @Override
    protected Existing existing() {
        String id = "crt-" + UUID.randomUUID();
        DomainsVerified verified = verified(id);
        topics.publish(request(id));
        topics.publish(verified);
        String attemptId = ManagedCertificateRecord.attemptIdFor(verified.eventId());
        await().atMost(WAIT).until(() -> mongo.findById(attemptId, IssuanceAttempt.class) != null);
        return new Existing(id, attemptId);
    }

    private static Row onRecord(Existing existing, CertflowEvent valid) {
        return Row.of(valid, mongo -> mongo.findById(existing.certificateId(), ManagedCertificateRecord.class)
                .hasApplied(valid.eventId()));
    }

    private static CertificateRequested request(String id) {
        return new CertificateRequested(UUID.randomUUID(), Instant.now(), "account-a", id, "ord-" + id,
                List.of(id + ".hostile.example"), "dv-single", 1, Instant.now().plus(Duration.ofDays(365)), true, null, null);
    }

    private static DomainsVerified verified(String id) {
        return new DomainsVerified(UUID.randomUUID(), Instant.now(), "account-a", id,
                List.of(new DomainsVerified.VerifiedDomain(id + ".hostile.example", "CNAME_DELEGATION", "x.acme.certflow.test.")));
    }
}
