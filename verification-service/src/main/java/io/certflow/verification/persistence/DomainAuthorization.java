package io.certflow.verification.persistence;

import io.certflow.platform.outbox.Aggregate;
import io.certflow.verification.dns.lookup.DelegationDiagnosis;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;

import java.time.Instant;
import java.util.List;

/**
 * That certflow may answer DNS-01 challenges for one domain of one account: the domain's
 * {@code _acme-challenge} name is a CNAME to {@link #getDelegationTarget()}, a name in the delegation
 * zone made for this account and domain alone. Created (with its random label) the first time
 * anyone needs it; {@link State#VERIFIED} once the "Verify" lookup saw the CNAME.
 *
 * <p>Id: {@code <accountId>/<domain>}, so one account's authorization is never another's. A
 * wildcard shares the authorization of its base domain.
 */
@Document("domainAuthorizations")
public class DomainAuthorization extends Aggregate {

    /** How certflow controls the challenge name. */
    public static final String METHOD_CNAME_DELEGATION = "CNAME_DELEGATION";

    /** Whether the delegation was seen in DNS. */
    public enum State { PENDING, VERIFIED }

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
    private State state;
    private Check lastCheck;
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
     * Records a "Verify" result. A verified lookup makes the authorization VERIFIED; a lookup that
     * found something else (the CNAME was removed or changed) makes it PENDING again; a failed
     * lookup (timeout, SERVFAIL) changes no state, since it proves nothing.
     *
     * @return whether this check made the authorization VERIFIED (it was not before)
     */
    public boolean recordCheck(DelegationDiagnosis diagnosis, Instant now) {
        lastCheck = new Check(diagnosis.result().name(), diagnosis.detail(), diagnosis.found(), now);
        switch (diagnosis.result()) {
            case VERIFIED -> {
                boolean newly = state != State.VERIFIED;
                state = State.VERIFIED;
                if (newly) {
                    verifiedAt = now;
                }
                return newly;
            }
            case LOOKUP_FAILED -> {
                return false;
            }
            default -> {
                state = State.PENDING;
                return false;
            }
        }
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
