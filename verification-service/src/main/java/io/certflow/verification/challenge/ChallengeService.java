package io.certflow.verification.challenge;

import io.certflow.events.CertificateEvent;
import io.certflow.events.v1.ChallengeRequested;
import io.certflow.platform.apply.IdempotentApply;
import io.certflow.verification.VerificationProperties;
import io.certflow.verification.delegation.DomainAuthorizations;
import io.certflow.verification.delegation.DomainName;
import io.certflow.verification.delegation.InvalidDomainNameException;
import io.certflow.verification.persistence.ChallengeRecords;
import io.certflow.verification.persistence.ChallengeRecordsRepository;
import io.certflow.verification.persistence.DomainAuthorization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Publishes DNS-01 challenge TXT records and withdraws them: in the delegation zone for a delegated
 * domain, through the account's DNS provider for a domain under one. Publishing only stores them (the
 * DNS server reads the store; provider writes happen on the scheduler); {@link #checkPublished()}, run
 * by a scheduler, writes what is due through providers, asks the DNS servers whether they serve the
 * values (certflow's own server for the delegation zone, every authoritative server of the zone for a
 * provider) and answers issuance with {@code ChallengeReady}. A domain not verified for the account is
 * answered with ready=false and the reason, never an exception.
 */
@Service
public class ChallengeService {

    private static final Logger log = LoggerFactory.getLogger(ChallengeService.class);

    private final ChallengeRecordsRepository repository;
    private final DomainAuthorizations authorizations;
    private final ServedRecords served;
    private final AuthoritativeRecords authoritative;
    private final ProviderPublisher providers;
    private final IdempotentApply apply;
    private final VerificationProperties properties;
    private final Clock clock;

    public ChallengeService(ChallengeRecordsRepository repository, DomainAuthorizations authorizations,
                            ServedRecords served, AuthoritativeRecords authoritative, ProviderPublisher providers,
                            IdempotentApply apply, VerificationProperties properties, Clock clock) {
        this.repository = repository;
        this.authorizations = authorizations;
        this.served = served;
        this.authoritative = authoritative;
        this.providers = providers;
        this.apply = apply;
        this.properties = properties;
        this.clock = clock;
    }

    /** Applies a {@link ChallengeRequested} once: stores the records to serve, or refuses with a reason. */
    public ChallengeRecords publish(ChallengeRequested event) {
        List<ChallengeRecords.Entry> entries = new ArrayList<>();
        String refusal = entries(event, entries);
        return apply.apply(ChallengeRecords.class, ChallengeRecords.idOf(event.certificateId(), event.attemptId()),
                event, () -> ChallengeRecords.create(event.accountId(), event.certificateId(), event.attemptId()),
                c -> {
                    Instant now = clock.instant();
                    if (refusal != null) {
                        log.info("challenge of attempt {} refused: {}", event.attemptId(), refusal);
                        c.refuse(event.eventId(), refusal, now);
                    } else {
                        c.publish(event.eventId(), entries, now, now.plus(properties.challenge().readyTimeout()));
                    }
                });
    }

    /** The entries to serve, or the reason they cannot be. */
    private String entries(ChallengeRequested event, List<ChallengeRecords.Entry> entries) {
        Map<String, DomainName> bases = new HashMap<>();
        for (ChallengeRequested.DnsChallenge challenge : event.challenges()) {
            DomainName name;
            try {
                name = DomainName.parse(challenge.domain());
            } catch (InvalidDomainNameException e) {
                return e.getMessage();
            }
            String expectedName = name.challengeRecordName();
            if (!expectedName.equals(absoluteLower(challenge.recordName()))) {
                return "The challenge for " + name + " names " + challenge.recordName() + ", not its challenge name "
                        + expectedName;
            }
            bases.put(name.authorizationDomain().value(), name.authorizationDomain());
        }
        Map<String, DomainAuthorization> found = authorizations.find(event.accountId(), bases.keySet());
        Set<String> notDelegated = new LinkedHashSet<>();
        for (String base : bases.keySet()) {
            DomainAuthorization a = found.get(base);
            if (a == null || !a.isVerified()) {
                notDelegated.add(base);
            }
        }
        if (!notDelegated.isEmpty()) {
            return "Not verified for certflow in this account: " + String.join(", ", notDelegated)
                    + ". Create the _acme-challenge CNAME shown by GET /api/v1/domains/{domain}/delegation (or choose a"
                    + " DNS provider credential) and verify the domain.";
        }
        for (ChallengeRequested.DnsChallenge challenge : event.challenges()) {
            String base = DomainName.parse(challenge.domain()).authorizationDomain().value();
            DomainAuthorization a = found.get(base);
            entries.add(a.usesProvider()
                    ? ChallengeRecords.Entry.viaProvider(base, absoluteLower(a.getRecordName()), challenge.txtValue(),
                            a.getCredentialId())
                    : new ChallengeRecords.Entry(base, absoluteLower(a.getDelegationTarget()), challenge.txtValue()));
        }
        return null;
    }

    /** Withdraws an attempt's records once (after {@code CertificateIssued} or {@code IssuanceFailed}). */
    public void withdraw(CertificateEvent event, String attemptId) {
        ChallengeRecords withdrawn = apply.apply(ChallengeRecords.class,
                ChallengeRecords.idOf(event.certificateId(), attemptId), event, null,
                c -> c.withdraw(clock.instant()));
        if (withdrawn != null) {
            log.info("challenge records of attempt {} withdrawn", attemptId);
        }
    }

    /**
     * Advances every published attempt: writes what is due through providers, then checks the DNS
     * servers: all values served → ready; deadline passed → not ready (and no longer served, provider
     * values removed). Called by the scheduler, never by a listener.
     *
     * @return how many attempts changed state
     */
    public int checkPublished() {
        return checkRound().changed();
    }

    /** What one round of {@link #checkPublished()} saw: the published attempts it read, and how many changed state. */
    public record Round(int published, int changed) {
    }

    /** {@link #checkPublished()}, telling also how many published attempts it read. */
    public Round checkRound() {
        int changed = 0;
        int published = 0;
        for (ChallengeRecords c : repository.findByState(ChallengeRecords.State.PUBLISHED)) {
            published++;
            if (c.getState() != ChallengeRecords.State.PUBLISHED) {
                continue;
            }
            c = providers.write(c);
            if (c == null) {
                continue;
            }
            if (c.getState() != ChallengeRecords.State.PUBLISHED) {
                changed++;
                continue;
            }
            Instant now = clock.instant();
            if (c.allWritten() && pastNegativeCaching(c, now) && allServed(c)) {
                c.markServed(now);
            } else if (c.isOverdue(now)) {
                log.warn("challenge records of attempt {} not served in time", c.getAttemptId());
                c.timeOut(now);
            } else {
                continue;
            }
            try {
                repository.save(c);
                changed++;
            } catch (OptimisticLockingFailureException e) {
                log.debug("challenge records {} changed concurrently; checked again next round", c.getId());
            }
        }
        return new Round(published, changed);
    }

    /**
     * Whether a "no such name" answered for the delegation zone's names before publishing has expired from every
     * resolver's cache (the zone's negative TTL), so that the CA's resolver sees the values once we say ready.
     */
    private boolean pastNegativeCaching(ChallengeRecords c, Instant now) {
        boolean delegated = c.getRecords().stream().anyMatch(e -> !e.viaProvider());
        return !delegated || c.getRequestedAt() == null
               || !now.isBefore(c.getRequestedAt().plus(properties.dns().negativeTtl()));
    }

    private boolean allServed(ChallengeRecords c) {
        Map<String, List<String>> viaProvider = new LinkedHashMap<>();
        for (ChallengeRecords.Entry entry : c.getRecords()) {
            if (entry.viaProvider()) {
                viaProvider.computeIfAbsent(entry.name(), n -> new ArrayList<>()).add(entry.txtValue());
            }
        }
        for (Map.Entry<String, List<String>> name : viaProvider.entrySet()) {
            Optional<String> missing = authoritative.missing(name.getKey(), name.getValue());
            if (missing.isPresent()) {
                c.noteFinding(missing.get());
                return false;
            }
        }
        Map<String, List<String>> answers = new HashMap<>();
        try {
            for (ChallengeRecords.Entry entry : c.getRecords()) {
                if (entry.viaProvider()) {
                    continue;
                }
                List<String> values = answers.computeIfAbsent(entry.name(), served::txtValues);
                if (!values.contains(entry.txtValue())) {
                    return false;
                }
            }
            return true;
        } catch (ServedRecords.ServedRecordsUnavailableException e) {
            log.debug("delegation zone not answering for attempt {}: {}", c.getAttemptId(), e.getMessage());
            return false;
        }
    }

    /**
     * Deletes the records of attempts that ended before {@code cutoff} and have nothing left to clean up: the
     * delegation zone's server reads only live challenges, and the history does not grow without end.
     *
     * @return how many were deleted
     */
    public long purgeEnded(Instant cutoff) {
        return repository.deleteByStateInAndEndedAtBeforeAndCleanupPendingIsNull(
                List.of(ChallengeRecords.State.WITHDRAWN, ChallengeRecords.State.FAILED), cutoff);
    }

    private static String absoluteLower(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n : n + ".";
    }
}
