package io.certflow.issuance.persistence;

import io.certflow.events.v1.CertificateIssued;
import io.certflow.events.v1.ChallengeRequested;
import io.certflow.events.v1.IssuanceFailed;
import io.certflow.issuance.keys.CertificateChain;
import io.certflow.platform.secrets.SealedSecret;
import io.certflow.platform.outbox.Aggregate;
import org.springframework.data.mongodb.core.index.CompoundIndex;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One try at getting a certificate version from the CA, started by one trigger event (a
 * {@code DomainsVerified} or a {@code RenewalDue}; the trigger id is unique, so a duplicated trigger
 * cannot start a second attempt). The aggregate of the issuance state machine (see
 * {@link AttemptState}): each transition changes this one document and raises its events in the same
 * write, and {@code nextPollAt} tells the poller when the attempt needs the CA again.
 *
 * <p>The certificate's private key is created here before the CSR leaves, and is kept only as a
 * {@link SealedSecret}.
 */
@Document("issuance_attempts")
@CompoundIndex(name = "due", def = "{'state': 1, 'nextPollAt': 1}")
public class IssuanceAttempt extends Aggregate {

    @Indexed(unique = true)
    private String triggerEventId;
    @Indexed
    private String certificateId;
    private AttemptTrigger trigger;
    private List<String> domains = new ArrayList<>();
    private String keyType;
    private String caProfile;
    private String replacesSerialNumber;
    private boolean reuseKey;

    private AttemptState state;
    private Instant stateSince;
    private Instant nextPollAt;
    @Indexed(sparse = true)
    private String orderUrl;
    private Instant orderIntentAt;
    private List<PendingChallenge> challenges = new ArrayList<>();
    private int transientFailures;
    private int totalTransientFailures;
    private String lastError;
    private AttemptFailure failure;

    private SealedSecret certificateKey;
    private String certificatePublicKey;
    private String issuedSerialNumber;

    private String rateLimitProfile;
    private Instant waitingForRateLimitSince;
    private Instant rateLimitedUntil;
    private Instant waitingForCaSince;
    /** Set once {@code FirstIssuanceRetries} decided on this failed first issuance (retried, or something newer won). */
    private Instant retryDecidedAt;

    private Instant createdAt;
    private Instant updatedAt;

    protected IssuanceAttempt() {
    }

    private IssuanceAttempt(String id, String accountId) {
        super(id, accountId);
    }

    /** A new attempt, due for the poller at once. */
    public static IssuanceAttempt start(String attemptId, String accountId, String certificateId, UUID triggerEventId,
                                        AttemptTrigger trigger, List<String> domains, String keyType, String caProfile,
                                        String replacesSerialNumber, Instant now) {
        IssuanceAttempt a = new IssuanceAttempt(attemptId, accountId);
        a.certificateId = Objects.requireNonNull(certificateId);
        a.triggerEventId = triggerEventId.toString();
        a.trigger = trigger;
        a.domains = List.copyOf(domains);
        a.keyType = keyType;
        a.caProfile = caProfile;
        a.replacesSerialNumber = replacesSerialNumber;
        a.createdAt = now;
        a.enter(AttemptState.NEW, now, now);
        return a;
    }

    // ---- transitions -------------------------------------------------------------------------

    /** The poller takes the attempt: no other poller picks it before {@code until}. */
    public void claim(Instant until, Instant now) {
        nextPollAt = until;
        updatedAt = now;
    }

    /**
     * No new-order slot of {@code profile} is free: the attempt stays {@code NEW} and waits until
     * {@code until}. The first wait records since when it waits, which keeps its place in line.
     */
    public void waitForRateLimit(String profile, Instant now, Instant until) {
        requireState(AttemptState.NEW);
        rateLimitProfile = profile;
        if (waitingForRateLimitSince == null) {
            waitingForRateLimitSince = now;
        }
        rateLimitedUntil = until;
        nextPollAt = until;
        updatedAt = now;
    }

    /** The attempt holds a new-order slot of {@code profile}: it no longer waits in line. */
    public void rateLimitSlotGranted(String profile) {
        rateLimitProfile = profile;
        waitingForRateLimitSince = null;
        rateLimitedUntil = null;
    }

    /**
     * The attempt is about to ask the CA for a new order: written (durably) before the request leaves, so that
     * whoever finds the attempt later with an intent but no {@link #getOrderUrl() order URL} knows the CA may
     * hold an order whose answer was lost (a crash, a timeout) and looks for it before placing another.
     */
    public void orderIntended(Instant now) {
        requireState(AttemptState.NEW);
        orderIntentAt = now;
        updatedAt = now;
    }

    /**
     * The ACME order exists. With challenges to prove, {@code ChallengeRequested} is raised and the
     * attempt waits for {@code ChallengeReady} until {@code challengeDeadline}; without any, the CA is
     * polled at once.
     */
    public void orderPlaced(String orderUrl, List<PendingChallenge> challenges, Instant now, Instant challengeDeadline) {
        requireState(AttemptState.NEW);
        this.orderUrl = orderUrl;
        this.challenges = List.copyOf(challenges);
        stepSucceeded();
        if (challenges.isEmpty()) {
            enter(AttemptState.VALIDATING, now, now);
            return;
        }
        enter(AttemptState.AWAITING_CHALLENGES, now, challengeDeadline);
        raise(new ChallengeRequested(UUID.randomUUID(), now, getAccountId(), certificateId, getId(),
                challenges.stream()
                        .map(c -> new ChallengeRequested.DnsChallenge(c.domain(), c.recordName(), c.txtValue()))
                        .toList()));
    }

    /**
     * verification-service answered. Returns whether it changed anything: only an attempt that waits
     * for its challenges takes the answer; a late or repeated answer is ignored.
     */
    public boolean challengeAnswered(boolean ready, String reason, Instant now) {
        if (state != AttemptState.AWAITING_CHALLENGES) {
            return false;
        }
        if (ready) {
            enter(AttemptState.CHALLENGES_READY, now, now);
        } else {
            fail("The challenge TXT records could not be published"
                            + (reason == null || reason.isBlank() ? "." : ": " + reason),
                    "urn:certflow:issuance:challenge-not-published", true, now);
        }
        return true;
    }

    /** The challenges were triggered; the CA validates, and is polled from {@code nextPoll}. */
    public void challengesTriggered(Instant now, Instant nextPoll) {
        requireState(AttemptState.CHALLENGES_READY);
        stepSucceeded();
        enter(AttemptState.VALIDATING, now, nextPoll);
    }

    /** The order was read and nothing changed; poll again at {@code nextPoll}. */
    public void stillWaiting(Instant now, Instant nextPoll) {
        stepSucceeded();
        nextPollAt = nextPoll;
        updatedAt = now;
    }

    /** The order is ready: the certificate key was made (and sealed); finalize at once. */
    public void keyCreated(SealedSecret sealedKey, String publicKeyBase64, Instant now) {
        requireState(AttemptState.VALIDATING);
        this.certificateKey = Objects.requireNonNull(sealedKey);
        this.certificatePublicKey = Objects.requireNonNull(publicKeyBase64);
        stepSucceeded();
        enter(AttemptState.FINALIZING, now, now);
    }

    /** The certificate was downloaded and its version stored: the attempt is done. */
    public void issued(CertificateChain chain, Instant now) {
        issued(chain, null, now);
    }

    /**
     * The certificate was downloaded and its version stored: the attempt is done.
     *
     * @param renewalWindow the renewal window the CA suggests for it (RFC 9773), or null
     */
    public void issued(CertificateChain chain, io.certflow.issuance.ca.RenewalWindow renewalWindow, Instant now) {
        requireState(AttemptState.FINALIZING);
        issuedSerialNumber = chain.serialNumber();
        stepSucceeded();
        enter(AttemptState.ISSUED, now, null);
        raise(new CertificateIssued(UUID.randomUUID(), now, getAccountId(), certificateId, getId(),
                chain.serialNumber(), chain.fingerprintSha256(), chain.notBefore(), chain.notAfter(),
                chain.dnsNames().isEmpty() ? domains : chain.dnsNames(), chain.issuer(), chain.pem(),
                replacesSerialNumber, renewalWindow == null ? null : renewalWindow.start(),
                renewalWindow == null ? null : renewalWindow.end(),
                renewalWindow == null || renewalWindow.explanationUrl() == null ? null
                        : renewalWindow.explanationUrl().toString()));
    }

    /** The attempt ends without a certificate; {@code IssuanceFailed} is raised. */
    public void fail(String reason, String problemType, boolean retryable, Instant now) {
        if (!state.active()) {
            return;
        }
        failure = new AttemptFailure(reason, problemType, retryable);
        lastError = reason;
        enter(AttemptState.FAILED, now, null);
        raise(new IssuanceFailed(UUID.randomUUID(), now, getAccountId(), certificateId, getId(), reason,
                problemType, retryable));
    }

    /**
     * A transient failure: try again at {@code nextTry}, or give up (retryable) when {@code exhausted}
     * says this was one failure too many.
     */
    public void transientFailure(String error, String problemType, Instant now, Instant nextTry, boolean exhausted) {
        transientFailures++;
        totalTransientFailures++;
        lastError = error;
        updatedAt = now;
        if (exhausted) {
            fail("The CA could not be reached reliably (" + transientFailures + " failures in a row); last error: "
                    + error, problemType == null ? "urn:certflow:issuance:ca-unavailable" : problemType, true, now);
        } else {
            nextPollAt = nextTry;
        }
    }

    /**
     * The CA cannot be reached (its circuit is open, see {@code CaCircuitBreaker}): the attempt waits until
     * {@code until} without asking it; nothing is counted towards giving up. Cleared by the next step that succeeds.
     */
    public void waitForCa(Instant now, Instant until) {
        if (waitingForCaSince == null) {
            waitingForCaSince = now;
        }
        lastError = "The CA cannot be reached (circuit open): waiting";
        nextPollAt = until;
        updatedAt = now;
    }

    /** Since when the attempt waits for a CA that cannot be reached, or null. */
    public Instant getWaitingForCaSince() {
        return waitingForCaSince;
    }

    /**
     * The CA answered {@code rateLimited} with a {@code Retry-After}: the attempt is parked until then. This is
     * not a failure of the CA (nothing is counted towards giving up); it ends the attempt (retryable) only when
     * {@code until} is past {@code giveUpAt}, since waiting that long helps nobody.
     */
    public void parkedByCa(String error, String problemType, Instant now, Instant until, Instant giveUpAt) {
        lastError = error;
        updatedAt = now;
        rateLimitedUntil = until;
        if (until.isAfter(giveUpAt)) {
            fail("The CA rate-limits this account until " + until + "; last answer: " + error,
                    problemType == null ? "urn:ietf:params:acme:error:rateLimited" : problemType, true, now);
        } else {
            nextPollAt = until;
        }
    }

    /**
     * The certificate keeps its key across renewals: this attempt (a renewal) certifies the key of the version
     * it replaces instead of a new one, when that key is still of the wanted type.
     */
    public void reuseKeyOfReplacedVersion() {
        reuseKey = replacesSerialNumber != null;
    }

    /** Whether this attempt certifies the replaced version's key (see {@link #reuseKeyOfReplacedVersion()}). */
    public boolean isReuseKey() {
        return reuseKey;
    }

    /** The order was cancelled: the attempt stops. */
    public boolean cancel(Instant now) {
        if (!state.active()) {
            return false;
        }
        lastError = "order cancelled";
        enter(AttemptState.CANCELLED, now, null);
        return true;
    }

    private void stepSucceeded() {
        transientFailures = 0;
        waitingForCaSince = null;
    }

    private void enter(AttemptState next, Instant now, Instant nextPoll) {
        state = next;
        stateSince = now;
        nextPollAt = nextPoll;
        updatedAt = now;
    }

    private void requireState(AttemptState expected) {
        if (state != expected) {
            throw new IllegalStateException("attempt " + getId() + " is " + state + ", not " + expected);
        }
    }

    // ---- reading -----------------------------------------------------------------------------

    /** The sealing context of this attempt's certificate key. */
    public static String keyContext(String certificateId, String attemptId) {
        return "certificate-key:" + certificateId + ":" + attemptId;
    }

    public String getTriggerEventId() {
        return triggerEventId;
    }

    public String getCertificateId() {
        return certificateId;
    }

    public AttemptTrigger getTrigger() {
        return trigger;
    }

    public List<String> getDomains() {
        return domains;
    }

    public String getKeyType() {
        return keyType;
    }

    public String getCaProfile() {
        return caProfile;
    }

    public String getReplacesSerialNumber() {
        return replacesSerialNumber;
    }

    public AttemptState getState() {
        return state;
    }

    public Instant getStateSince() {
        return stateSince;
    }

    public Instant getNextPollAt() {
        return nextPollAt;
    }

    public String getOrderUrl() {
        return orderUrl;
    }

    /** When the attempt last asked the CA for a new order (see {@link #orderIntended}); null before. */
    public Instant getOrderIntentAt() {
        return orderIntentAt;
    }

    public List<PendingChallenge> getChallenges() {
        return challenges;
    }

    public int getTransientFailures() {
        return transientFailures;
    }

    public int getTotalTransientFailures() {
        return totalTransientFailures;
    }

    public String getLastError() {
        return lastError;
    }

    public Instant getRetryDecidedAt() {
        return retryDecidedAt;
    }

    public AttemptFailure getFailure() {
        return failure;
    }

    public SealedSecret getCertificateKey() {
        return certificateKey;
    }

    public String getCertificatePublicKey() {
        return certificatePublicKey;
    }

    public String getIssuedSerialNumber() {
        return issuedSerialNumber;
    }

    /** The CA profile whose new-order limit the attempt met, if any. */
    public String getRateLimitProfile() {
        return rateLimitProfile;
    }

    /** Since when the attempt waits for a new-order slot; null when it does not wait. */
    public Instant getWaitingForRateLimitSince() {
        return waitingForRateLimitSince;
    }

    /** Until when the attempt waits for a new-order slot (its next look); null when it does not wait. */
    public Instant getRateLimitedUntil() {
        return rateLimitedUntil;
    }

    /** Whether the attempt waits for a new-order slot. */
    public boolean waitingForRateLimit() {
        return state == AttemptState.NEW && waitingForRateLimitSince != null;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }

    @Override
    public String toString() {
        return "IssuanceAttempt[" + getId() + ", certificate=" + certificateId + ", " + state + "]";
    }
}
