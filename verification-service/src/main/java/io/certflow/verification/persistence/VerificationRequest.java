package io.certflow.verification.persistence;

import io.certflow.events.v1.CertificateRequested;
import io.certflow.events.v1.DomainsVerified;
import io.certflow.platform.outbox.Aggregate;
import org.springframework.data.mongodb.core.index.CompoundIndex;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A requested certificate waiting until every one of its domains is delegated to certflow for its
 * account; then it raises {@link DomainsVerified} once, and issuance may place the ACME order. It
 * is released either at once (the domains were verified before) or by a later successful "Verify".
 *
 * <p>When the application chose a verification method ({@code CertificateRequested.verificationMethod}), only
 * authorizations verified by that method count: {@code CNAME_DELEGATION} never releases on a DNS provider and
 * {@code DNS_PROVIDER} never on a CNAME. For {@code DNS_PROVIDER} the request also carries what
 * {@code ProviderSelection} found when no credential of the account could serve a domain ({@link #getMethodProblems()}),
 * and when it looks again ({@code nextMethodCheckAt}).
 *
 * <p>Id: the {@code certificateId}.
 */
@Document("verificationRequests")
@CompoundIndex(name = "waiting_by_domain", def = "{'accountId': 1, 'state': 1, 'authorizationDomains': 1}")
public class VerificationRequest extends Aggregate {

    /** Whether {@link DomainsVerified} was raised for the current request. */
    public enum State { WAITING, VERIFIED }

    /**
     * Why one domain of a request that chose {@code DNS_PROVIDER} is not served by a provider yet.
     *
     * @param domain    the (base) domain
     * @param detail    a sentence the owner can act on (names credential ids, never a secret)
     * @param checkedAt when it was found
     */
    public record MethodProblem(String domain, String detail, Instant checkedAt) {
    }

    private String orderId;
    private String verificationMethod;
    private List<MethodProblem> methodProblems = new ArrayList<>();
    @Indexed(sparse = true)
    private Instant nextMethodCheckAt;
    private List<String> domains = new ArrayList<>();
    private List<String> authorizationDomains = new ArrayList<>();
    private State state;
    private String requestEventId;
    private Instant requestedAt;
    private Instant verifiedAt;

    protected VerificationRequest() {
    }

    private VerificationRequest(String certificateId, String accountId) {
        super(certificateId, accountId);
    }

    /** An empty request for a certificate; {@link #request} fills it. */
    public static VerificationRequest create(String certificateId, String accountId) {
        return new VerificationRequest(certificateId, accountId);
    }

    /**
     * Takes a {@link CertificateRequested}: these domains are wanted now (a later request for the
     * same certificate replaces the domains and waits again).
     *
     * @param domains              the requested names, normalized (wildcards as {@code *.example.com})
     * @param authorizationDomains the distinct domains whose authorizations cover them
     * @param verificationMethod   the method the application chose ({@code CNAME_DELEGATION} or {@code DNS_PROVIDER}),
     *                             or null: whatever each domain is set up for
     */
    public void request(CertificateRequested event, List<String> domains, List<String> authorizationDomains,
                        String verificationMethod, Instant now) {
        this.orderId = event.orderId();
        this.verificationMethod = verificationMethod;
        this.methodProblems = new ArrayList<>();
        this.nextMethodCheckAt = DomainAuthorization.METHOD_DNS_PROVIDER.equals(verificationMethod) ? now : null;
        this.domains = List.copyOf(domains);
        this.authorizationDomains = List.copyOf(authorizationDomains);
        this.requestEventId = event.eventId().toString();
        this.state = State.WAITING;
        this.requestedAt = now;
        this.verifiedAt = null;
    }

    /**
     * Raises {@link DomainsVerified} if this request waits and every authorization it needs is
     * verified.
     *
     * @param authorizations this account's authorizations by domain (missing ones count as unverified)
     * @return whether it was released now
     */
    public boolean releaseIfVerified(Map<String, DomainAuthorization> authorizations, Instant now) {
        if (state != State.WAITING) {
            return false;
        }
        for (String domain : authorizationDomains) {
            DomainAuthorization authorization = authorizations.get(domain);
            if (authorization == null || !authorization.isVerified()
                    || !authorization.getAccountId().equals(getAccountId()) || !acceptsMethodOf(authorization)) {
                return false;
            }
        }
        List<DomainsVerified.VerifiedDomain> verified = new ArrayList<>();
        for (String domain : domains) {
            String base = domain.startsWith("*.") ? domain.substring(2) : domain;
            DomainAuthorization authorization = authorizations.get(base);
            verified.add(new DomainsVerified.VerifiedDomain(domain, authorization.getMethod(),
                    authorization.usesProvider() ? null : authorization.getDelegationTarget()));
        }
        UUID eventId = UUID.nameUUIDFromBytes(("domains-verified/" + getId() + "/" + requestEventId)
                .getBytes(StandardCharsets.UTF_8));
        raise(new DomainsVerified(eventId, now, getAccountId(), getId(), verified));
        state = State.VERIFIED;
        verifiedAt = now;
        methodProblems = new ArrayList<>();
        nextMethodCheckAt = null;
        return true;
    }

    /** Whether the authorization's method is the one this request chose (any method when it chose none). */
    public boolean acceptsMethodOf(DomainAuthorization authorization) {
        return verificationMethod == null || verificationMethod.equals(authorization.getMethod());
    }

    /**
     * {@code ProviderSelection} looked at this request: what still keeps its domains from a provider (empty: nothing),
     * and when to look again (null: not again).
     */
    public void methodChecked(List<MethodProblem> problems, Instant nextCheckAt) {
        this.methodProblems = new ArrayList<>(problems);
        this.nextMethodCheckAt = nextCheckAt;
    }

    /** The method the application chose, or null (whatever each domain is set up for). */
    public String getVerificationMethod() {
        return verificationMethod;
    }

    /** What the last {@code ProviderSelection} found per domain it could not serve through a provider. */
    public List<MethodProblem> getMethodProblems() {
        return methodProblems == null ? List.of() : methodProblems;
    }

    /** When {@code ProviderSelection} looks at this request again, or null. */
    public Instant getNextMethodCheckAt() {
        return nextMethodCheckAt;
    }

    public boolean isWaiting() {
        return state == State.WAITING;
    }

    public String getCertificateId() {
        return getId();
    }

    public String getOrderId() {
        return orderId;
    }

    public List<String> getDomains() {
        return domains;
    }

    public List<String> getAuthorizationDomains() {
        return authorizationDomains;
    }

    public State getState() {
        return state;
    }

    public Instant getRequestedAt() {
        return requestedAt;
    }

    public Instant getVerifiedAt() {
        return verifiedAt;
    }
}
