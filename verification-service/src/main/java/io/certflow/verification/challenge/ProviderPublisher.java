package io.certflow.verification.challenge;

import io.certflow.verification.credentials.CredentialUnavailableException;
import io.certflow.verification.credentials.DnsCredentials;
import io.certflow.verification.dns.provider.DnsProviderException;
import io.certflow.verification.persistence.ChallengeRecords;
import io.certflow.verification.persistence.ChallengeRecordsRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes and removes the challenge values of domains under a DNS provider, on the scheduler (a provider's API may
 * take seconds; listener threads never wait on it). A write is recorded as begun before the provider is asked, so
 * that a crash or a concurrent end of the attempt can never leave a value behind uncleaned.
 */
@Component
public class ProviderPublisher {

    private static final Logger log = LoggerFactory.getLogger(ProviderPublisher.class);

    private final ChallengeRecordsRepository repository;
    private final DnsCredentials credentials;
    private final Clock clock;

    public ProviderPublisher(ChallengeRecordsRepository repository, DnsCredentials credentials, Clock clock) {
        this.repository = repository;
        this.credentials = credentials;
        this.clock = clock;
    }

    /**
     * Writes the entries of {@code c} that are due, one provider change per name.
     *
     * @return the document as saved, or null when it changed concurrently (tried again next round)
     */
    ChallengeRecords write(ChallengeRecords c) {
        List<ChallengeRecords.Entry> due = c.writesDue(clock.instant());
        if (due.isEmpty()) {
            return c;
        }
        c.writeStarted(due, clock.instant());
        c = save(c);
        if (c == null) {
            return null;
        }
        for (Map.Entry<Key, List<ChallengeRecords.Entry>> group : byName(due).entrySet()) {
            Key key = group.getKey();
            List<String> values = group.getValue().stream().map(ChallengeRecords.Entry::txtValue).toList();
            Instant now = clock.instant();
            try {
                String zone = credentials.provider(c.getAccountId(), key.credentialId()).addTxt(key.name(), values);
                log.info("challenge of attempt {}: {} value(s) written at {} in zone {}", c.getAttemptId(), values.size(),
                        key.name(), zone);
                c.written(group.getValue(), now);
            } catch (CredentialUnavailableException e) {
                c.providerRefused(e.getMessage(), now);
                break;
            } catch (DnsProviderException e) {
                String why = "Writing " + key.name() + " through DNS credential " + key.credentialId() + " failed: "
                             + e.getMessage();
                if (e.transientFailure()) {
                    log.info("challenge of attempt {}: {} (tried again later)", c.getAttemptId(), why);
                    c.writeFailed(why, now);
                } else {
                    log.info("challenge of attempt {}: {}", c.getAttemptId(), why);
                    c.providerRefused(why + ". Check the credential's permissions on the zone, then Verify the domain again.", now);
                    break;
                }
            }
        }
        return save(c);
    }

    /**
     * Removes what ended attempts wrote through providers.
     *
     * @return how many attempts had values to remove (0: nothing to do)
     */
    public int cleanUp() {
        int pending = 0;
        for (ChallengeRecords c : repository.findByCleanupPendingTrue()) {
            pending++;
            if (!c.cleanupDue(clock.instant())) {
                continue;
            }
            for (Map.Entry<Key, List<ChallengeRecords.Entry>> group : byName(c.removalsDue()).entrySet()) {
                Key key = group.getKey();
                List<String> values = group.getValue().stream().map(ChallengeRecords.Entry::txtValue).toList();
                try {
                    credentials.provider(c.getAccountId(), key.credentialId()).removeTxt(key.name(), values);
                    log.info("challenge of attempt {}: {} value(s) removed at {}", c.getAttemptId(), values.size(),
                            key.name());
                    c.removed(group.getValue(), clock.instant());
                } catch (CredentialUnavailableException e) {
                    log.warn("challenge of attempt {}: values at {} cannot be removed: {}", c.getAttemptId(), key.name(),
                            e.getMessage());
                    c.cleanupAbandoned("Remove the TXT values " + values + " at " + key.name() + " yourself: "
                                       + e.getMessage());
                } catch (DnsProviderException e) {
                    String why = "Removing " + values.size() + " value(s) at " + key.name() + " failed: " + e.getMessage();
                    if (e.transientFailure()) {
                        log.info("challenge of attempt {}: {} (tried again later)", c.getAttemptId(), why);
                        c.cleanupFailed(why, clock.instant());
                    } else {
                        log.warn("challenge of attempt {}: {}", c.getAttemptId(), why);
                        c.cleanupAbandoned(why + ". Remove the TXT values " + values + " at " + key.name() + " yourself.");
                    }
                }
            }
            save(c);
        }
        return pending;
    }

    private ChallengeRecords save(ChallengeRecords c) {
        try {
            return repository.save(c);
        } catch (OptimisticLockingFailureException e) {
            log.debug("challenge records {} changed concurrently; taken up again next round", c.getId());
            return null;
        }
    }

    private static Map<Key, List<ChallengeRecords.Entry>> byName(List<ChallengeRecords.Entry> entries) {
        return entries.stream().collect(Collectors.groupingBy(e -> new Key(e.credentialId(), e.name()),
                LinkedHashMap::new, Collectors.toList()));
    }

    private record Key(String credentialId, String name) {
    }
}
