package io.certflow.verification.persistence;

import io.certflow.events.v1.ChallengeReady;
import io.certflow.platform.outbox.Aggregate;
import org.springframework.data.mongodb.core.index.CompoundIndex;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The DNS-01 TXT records of one issuance attempt, as the delegation zone serves them: each value at
 * the delegation target of its domain. The DNS server reads these documents on every query, so a
 * record is served from the moment it is {@link State#PUBLISHED} until it is
 * {@link State#WITHDRAWN} (the certificate was issued, or the attempt failed) or timed out.
 *
 * <p>Id: {@code <certificateId>/<attemptId>}.
 */
@Document("challengeRecords")
@CompoundIndex(name = "served_by_name", def = "{'records.name': 1, 'state': 1}")
public class ChallengeRecords extends Aggregate {

    /** Where the attempt's records are in their life. */
    public enum State {
        /** Served; waiting to be seen on the DNS server before ChallengeReady(ready=true). */
        PUBLISHED,
        /** Served, and ChallengeReady(ready=true) was raised. */
        READY,
        /** Not served: refused (domain not delegated) or never seen in time; ChallengeReady(ready=false) raised. */
        FAILED,
        /** Not served any more: the attempt ended. */
        WITHDRAWN;

        /** Whether the DNS server answers with the records in this state. */
        public boolean served() {
            return this == PUBLISHED || this == READY;
        }
    }

    /**
     * One TXT value at one name.
     *
     * @param domain   the identifier it proves (wildcards without {@code *.})
     * @param name     the absolute, lower-case name in the delegation zone that serves it
     * @param txtValue the value
     */
    public record Entry(String domain, String name, String txtValue) {
    }

    private String certificateId;
    @Indexed
    private String attemptId;
    private List<Entry> records = new ArrayList<>();
    @Indexed
    private State state;
    private String requestEventId;
    private Instant requestedAt;
    private Instant deadline;
    private Instant readyAt;
    private Instant endedAt;
    private String reason;

    protected ChallengeRecords() {
    }

    private ChallengeRecords(String accountId, String certificateId, String attemptId) {
        super(idOf(certificateId, attemptId), accountId);
        this.certificateId = certificateId;
        this.attemptId = attemptId;
    }

    /** An empty document for an attempt; {@link #publish} or {@link #refuse} fills it. */
    public static ChallengeRecords create(String accountId, String certificateId, String attemptId) {
        return new ChallengeRecords(accountId, certificateId, attemptId);
    }

    /** The document id of an attempt's records. */
    public static String idOf(String certificateId, String attemptId) {
        return certificateId + "/" + attemptId;
    }

    /** Serves these records from now on, until they are seen, withdrawn or {@code deadline} passes. */
    public void publish(UUID requestEventId, List<Entry> entries, Instant now, Instant deadline) {
        this.requestEventId = requestEventId.toString();
        this.records = List.copyOf(entries);
        this.state = State.PUBLISHED;
        this.requestedAt = now;
        this.deadline = deadline;
        this.readyAt = null;
        this.endedAt = null;
        this.reason = null;
    }

    /** Serves nothing and answers ChallengeReady(ready=false) with the reason. */
    public void refuse(UUID requestEventId, String why, Instant now) {
        this.requestEventId = requestEventId.toString();
        this.records = List.of();
        this.requestedAt = now;
        fail(why, now);
    }

    /** Every record was seen on the DNS server: ChallengeReady(ready=true). */
    public void markServed(Instant now) {
        if (state != State.PUBLISHED) {
            return;
        }
        state = State.READY;
        readyAt = now;
        raise(new ChallengeReady(readyEventId(), now, getAccountId(), certificateId, attemptId, true, null));
    }

    /** Not seen before the deadline: stops serving and answers ChallengeReady(ready=false). */
    public void timeOut(Instant now) {
        if (state != State.PUBLISHED) {
            return;
        }
        fail("The challenge records were not served by the delegation zone's DNS server within the time allowed.", now);
    }

    /** The attempt ended (issued or failed): the records are no longer served. */
    public void withdraw(Instant now) {
        if (state == State.WITHDRAWN) {
            return;
        }
        state = State.WITHDRAWN;
        endedAt = now;
    }

    private void fail(String why, Instant now) {
        state = State.FAILED;
        reason = why;
        endedAt = now;
        raise(new ChallengeReady(readyEventId(), now, getAccountId(), certificateId, attemptId, false, why));
    }

    private UUID readyEventId() {
        return UUID.nameUUIDFromBytes(("challenge-ready/" + getId() + "/" + requestEventId)
                .getBytes(StandardCharsets.UTF_8));
    }

    /** Whether the deadline to be served has passed. */
    public boolean isOverdue(Instant now) {
        return deadline != null && now.isAfter(deadline);
    }

    public String getCertificateId() {
        return certificateId;
    }

    public String getAttemptId() {
        return attemptId;
    }

    public List<Entry> getRecords() {
        return records;
    }

    public State getState() {
        return state;
    }

    public Instant getDeadline() {
        return deadline;
    }

    public Instant getReadyAt() {
        return readyAt;
    }

    public String getReason() {
        return reason;
    }
}
