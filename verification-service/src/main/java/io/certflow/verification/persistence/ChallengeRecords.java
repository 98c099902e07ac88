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
 * The DNS-01 TXT records of one issuance attempt. A delegated domain's value is served by the
 * delegation zone at the domain's delegation target: the DNS server reads these documents on every
 * query, so it is served from the moment it is {@link State#PUBLISHED} until it is
 * {@link State#WITHDRAWN} (the certificate was issued, or the attempt failed) or timed out. A value
 * for a domain under a DNS provider is written through the provider by the scheduler (never by a
 * listener), and removed through it once the attempt ended ({@link #isCleanupPending()}).
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
     * @param domain         the identifier it proves (wildcards without {@code *.})
     * @param name           the absolute, lower-case name that serves it: in the delegation zone, or the
     *                       domain's own {@code _acme-challenge} name for a DNS provider
     * @param txtValue       the value
     * @param credentialId   the DNS provider credential that writes it; null when the delegation zone serves it
     * @param writeStartedAt when writing it through the provider began (from then on it must be cleaned up)
     * @param writtenAt      when the provider accepted it
     * @param removedAt      when the provider removed it
     */
    public record Entry(String domain, String name, String txtValue, String credentialId, Instant writeStartedAt,
                        Instant writtenAt, Instant removedAt) {

        /** A value served by the delegation zone. */
        public Entry(String domain, String name, String txtValue) {
            this(domain, name, txtValue, null, null, null, null);
        }

        /** A value to write through a DNS provider credential. */
        public static Entry viaProvider(String domain, String name, String txtValue, String credentialId) {
            return new Entry(domain, name, txtValue, credentialId, null, null, null);
        }

        /** Whether a DNS provider writes it (rather than the delegation zone serving it). */
        public boolean viaProvider() {
            return credentialId != null;
        }

        /** Written through the provider but not removed (or not known to be: the write may have half-happened). */
        public boolean needsRemoval() {
            return writeStartedAt != null && removedAt == null;
        }
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
    /** The latest finding of the propagation check: what is still missing where, for the timeout's reason. */
    private String lastFinding;
    private int writeFailures;
    private Instant nextWriteAt;
    @Indexed(sparse = true)
    private Boolean cleanupPending;
    private String cleanupFailure;
    private int cleanupFailures;
    private Instant nextCleanupAt;

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
        fail(lastFinding != null ? "Not served in time: " + lastFinding
                : "The challenge records were not served by the delegation zone's DNS server within the time allowed.", now);
    }

    /**
     * Publishing through a DNS provider failed for good (the credential refused, no zone): stops and answers
     * ChallengeReady(ready=false) with the reason; whatever was written is cleaned up.
     */
    public void providerRefused(String why, Instant now) {
        if (state == State.PUBLISHED) {
            fail(why, now);
        }
    }

    /** Remembers what the latest propagation check found missing (the reason given if time runs out). */
    public void noteFinding(String finding) {
        this.lastFinding = finding;
    }

    /** The provider entries not yet written, when it is time to try (after a transient failure, later). */
    public List<Entry> writesDue(Instant now) {
        if (state != State.PUBLISHED || (nextWriteAt != null && now.isBefore(nextWriteAt))) {
            return List.of();
        }
        return records.stream().filter(e -> e.viaProvider() && e.writtenAt() == null).toList();
    }

    /** Whether every provider entry was written. */
    public boolean allWritten() {
        return records.stream().noneMatch(e -> e.viaProvider() && e.writtenAt() == null);
    }

    /** Marks writing begun for these entries: from now on they are cleaned up whatever happens. */
    public void writeStarted(List<Entry> entries, Instant now) {
        replace(entries, e -> e.writeStartedAt() != null ? e
                : new Entry(e.domain(), e.name(), e.txtValue(), e.credentialId(), now, e.writtenAt(), e.removedAt()));
    }

    /** The provider accepted these entries. */
    public void written(List<Entry> entries, Instant now) {
        replace(entries, e -> new Entry(e.domain(), e.name(), e.txtValue(), e.credentialId(),
                e.writeStartedAt() != null ? e.writeStartedAt() : now, now, e.removedAt()));
        writeFailures = 0;
        nextWriteAt = null;
    }

    /** A transient provider failure: the next write waits 2, 4, 8… up to 60 seconds. */
    public void writeFailed(String finding, Instant now) {
        writeFailures++;
        lastFinding = finding;
        nextWriteAt = now.plusSeconds(Math.min(60, 1L << Math.min(writeFailures, 6)));
    }

    /** The provider entries still to remove after the attempt ended. */
    public List<Entry> removalsDue() {
        return records.stream().filter(Entry::needsRemoval).toList();
    }

    /** The provider removed these entries; cleanup ends when none is left. */
    public void removed(List<Entry> entries, Instant now) {
        replace(entries, e -> new Entry(e.domain(), e.name(), e.txtValue(), e.credentialId(), e.writeStartedAt(),
                e.writtenAt(), now));
        cleanupFailure = null;
        flagCleanup();
    }

    /**
     * Removing failed for good (the credential was deleted or refused): nothing more can be done by certflow;
     * the values stay named in {@link #getCleanupFailure()} for the owner.
     */
    public void cleanupAbandoned(String why) {
        cleanupFailure = why;
        cleanupPending = null;
    }

    /**
     * A transient failure of removal: tried again after 2, 4, 8… seconds, at most an hour apart; after a day
     * certflow gives up and names the values for the owner to remove.
     */
    public void cleanupFailed(String why, Instant now) {
        cleanupFailure = why;
        cleanupFailures++;
        nextCleanupAt = now.plusSeconds(Math.min(3600, 1L << Math.min(cleanupFailures, 12)));
        if (endedAt != null && now.isAfter(endedAt.plus(java.time.Duration.ofDays(1)))) {
            cleanupAbandoned(why + ". certflow gave up after a day: remove the values yourself.");
        }
    }

    /** Whether a removal is due now (not waiting after a failure). */
    public boolean cleanupDue(Instant now) {
        return isCleanupPending() && (nextCleanupAt == null || !now.isBefore(nextCleanupAt));
    }

    private void flagCleanup() {
        cleanupPending = !state.served() && records.stream().anyMatch(Entry::needsRemoval) ? Boolean.TRUE : null;
    }

    private void replace(List<Entry> entries, java.util.function.UnaryOperator<Entry> change) {
        List<Entry> updated = new ArrayList<>(records.size());
        for (Entry e : records) {
            boolean match = entries.stream().anyMatch(x -> x.name().equals(e.name()) && x.txtValue().equals(e.txtValue())
                    && java.util.Objects.equals(x.credentialId(), e.credentialId()));
            updated.add(match ? change.apply(e) : e);
        }
        records = List.copyOf(updated);
    }

    /** The attempt ended (issued or failed): the records are no longer served. */
    public void withdraw(Instant now) {
        if (state == State.WITHDRAWN) {
            return;
        }
        state = State.WITHDRAWN;
        endedAt = now;
        flagCleanup();
    }

    private void fail(String why, Instant now) {
        state = State.FAILED;
        reason = why;
        endedAt = now;
        flagCleanup();
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

    /** When the records were published (or refused). */
    public Instant getRequestedAt() {
        return requestedAt;
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

    /** Whether provider entries wait to be removed. */
    public boolean isCleanupPending() {
        return Boolean.TRUE.equals(cleanupPending);
    }

    /** Why the last removal through the provider failed, if it did. */
    public String getCleanupFailure() {
        return cleanupFailure;
    }
}
