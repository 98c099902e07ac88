package io.certflow.verification.persistence;

import io.certflow.events.v1.DomainVerificationLost;
import io.certflow.platform.outbox.Aggregate;
import io.certflow.verification.dns.lookup.DelegationDiagnosis;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * That certflow may answer DNS-01 challenges for one domain of one account, by one of two methods: the
 * domain's {@code _acme-challenge} name is a CNAME to {@link #getDelegationTarget()}, a name in the
 * delegation zone made for this account and domain alone ({@link #METHOD_CNAME_DELEGATION}); or
 * certflow writes the TXT records through one of the account's DNS provider credentials
 * ({@link #METHOD_DNS_PROVIDER}). Created (with its random label, for delegation) the first time anyone
 * needs it; {@link State#VERIFIED} once a "Verify" saw the CNAME or wrote through the provider.
 *
 * <p>Id: {@code <accountId>/<domain>}, so one account's authorization is never another's. A
 * wildcard shares the authorization of its base domain.
 */
@Document("domainAuthorizations")
public class DomainAuthorization extends Aggregate {

    /** How certflow controls the challenge name: the owner's CNAME into the delegation zone. */
    public static final String METHOD_CNAME_DELEGATION = "CNAME_DELEGATION";
    /** How certflow controls the challenge name: it writes the TXT records through the account's DNS provider. */
    public static final String METHOD_DNS_PROVIDER = "DNS_PROVIDER";

    /**
     * Whether certflow controls the challenge name: not yet ({@code PENDING}), yes ({@code VERIFIED}), or no longer
     * ({@code LOST}: it was verified and a later check found the CNAME gone or changed, or the credential failing).
     */
    public enum State { PENDING, VERIFIED, LOST }

    /**
     * The outcome of the last "Verify".
     *
     * @param result    a {@link io.certflow.verification.dns.lookup.DelegationResult} name
     * @param detail    the sentence shown to the customer
     * @param found     what DNS held
     * @param checkedAt when
     */
    public record Check(String result, String detail, List<String> found, Instant checkedAt) {
    }

    private String domain;
    @Indexed(unique = true)
    private String label;
    private String delegationTarget;
    private String method;
    private String credentialId;
    private State state;
    private Check lastCheck;
    /** When the next scheduled re-check is due; set earlier when a renewal of one of its certificates is due. */
    @Indexed
    private Instant recheckAt;
    private Instant createdAt;
    private Instant verifiedAt;

    protected DomainAuthorization() {
    }

    private DomainAuthorization(String accountId, String domain, String label, String delegationZone, Instant now) {
        super(idOf(accountId, domain), accountId);
        this.domain = domain;
        this.label = label;
        this.delegationTarget = label + "." + delegationZone;
        this.method = METHOD_CNAME_DELEGATION;
        this.state = State.PENDING;
        this.createdAt = now;
    }

    /**
     * A new, pending authorization.
     *
     * @param domain         the normalized (base) domain, without trailing dot
     * @param label          a fresh unguessable label
     * @param delegationZone the absolute delegation zone, e.g. {@code acme.certflow.test.}
     */
    public static DomainAuthorization create(String accountId, String domain, String label, String delegationZone,
                                             Instant now) {
        return new DomainAuthorization(accountId, domain, label, delegationZone, now);
    }

    /** The document id of an account's authorization for a domain. */
    public static String idOf(String accountId, String domain) {
        return accountId + "/" + domain;
    }

    /**
     * Records a "Verify" result. A verified check makes the authorization VERIFIED; a check that found something
     * else (the CNAME was removed or changed, the credential refused) makes a VERIFIED authorization LOST, raising
     * one {@link DomainVerificationLost} per certificate that relies on it, and leaves any other one PENDING; an
     * inconclusive check (timeout, SERVFAIL, provider unavailable) changes no state, since it proves nothing.
     *
     * @param certificateIds the certificates of the account that rely on this domain (warned when it is lost)
     * @param nextRecheck    when the scheduled re-check should look again
     * @return whether this check made the authorization VERIFIED (it was not before)
     */
    public boolean recordCheck(DelegationDiagnosis diagnosis, Instant now, Collection<String> certificateIds,
                               Instant nextRecheck) {
        lastCheck = new Check(diagnosis.result().name(), diagnosis.detail(), diagnosis.found(), now);
        recheckAt = nextRecheck;
        if (diagnosis.result().verified()) {
            boolean newly = state != State.VERIFIED;
            state = State.VERIFIED;
            if (newly) {
                verifiedAt = now;
            }
            return newly;
        }
        if (diagnosis.result().inconclusive()) {
            return false;
        }
        if (state == State.VERIFIED) {
            state = State.LOST;
            for (String certificateId : certificateIds) {
                UUID eventId = UUID.nameUUIDFromBytes(("domain-verification-lost/" + getId() + "/" + certificateId + "/"
                        + now).getBytes(StandardCharsets.UTF_8));
                raise(new DomainVerificationLost(eventId, now, getAccountId(), certificateId, domain, method,
                        diagnosis.result().name(), diagnosis.detail(), now));
            }
        } else if (state != State.LOST) {
            state = State.PENDING;
        }
        return false;
    }

    /** {@link #recordCheck(DelegationDiagnosis, Instant, Collection, Instant)} for an authorization no certificate uses. */
    public boolean recordCheck(DelegationDiagnosis diagnosis, Instant now) {
        return recordCheck(diagnosis, now, List.of(), null);
    }

    /** Asks the scheduled re-check to look at this authorization by {@code when} (e.g. a renewal is due). */
    public void recheckBy(Instant when) {
        if (recheckAt == null || when.isBefore(recheckAt)) {
            recheckAt = when;
        }
    }

    public Instant getRecheckAt() {
        return recheckAt;
    }

    /**
     * From now on the owner's CNAME into the delegation zone controls the challenge name; pending until a Verify
     * sees it (a change of method is never verified in advance).
     */
    public void useDelegation() {
        if (!METHOD_CNAME_DELEGATION.equals(method)) {
            method = METHOD_CNAME_DELEGATION;
            credentialId = null;
            state = State.PENDING;
        }
    }

    /**
     * From now on certflow writes the challenge records through the account's DNS provider credential; pending
     * until a Verify shows that the credential can write in the domain's zone.
     */
    public void useProvider(String credentialId) {
        if (!METHOD_DNS_PROVIDER.equals(method) || !credentialId.equals(this.credentialId)) {
            method = METHOD_DNS_PROVIDER;
            this.credentialId = credentialId;
            state = State.PENDING;
        }
    }

    /** Whether the challenge records are written through a DNS provider rather than served by certflow. */
    public boolean usesProvider() {
        return METHOD_DNS_PROVIDER.equals(method);
    }

    /** The account's DNS credential used for {@link #METHOD_DNS_PROVIDER}, else null. */
    public String getCredentialId() {
        return credentialId;
    }

    public boolean isVerified() {
        return state == State.VERIFIED;
    }

    public String getDomain() {
        return domain;
    }

    public String getLabel() {
        return label;
    }

    /** The absolute name the CNAME must point to: {@code <label>.<delegation zone>}. */
    public String getDelegationTarget() {
        return delegationTarget;
    }

    /** The challenge name the customer creates the CNAME at. */
    public String getRecordName() {
        return "_acme-challenge." + domain + ".";
    }

    public String getMethod() {
        return method;
    }

    public State getState() {
        return state;
    }

    public Check getLastCheck() {
        return lastCheck;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getVerifiedAt() {
        return verifiedAt;
    }
}
