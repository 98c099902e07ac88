package io.certflow.issuance;

import io.certflow.devstack.BindProcess;
import io.certflow.events.v1.CertificateIssued;
import io.certflow.events.v1.ChallengeReady;
import io.certflow.events.v1.ChallengeRequested;
import io.certflow.events.v1.IssuanceFailed;
import io.certflow.testsupport.TopicProbe;
import org.springframework.test.context.DynamicPropertyRegistry;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Plays verification-service in issuance's service tests (and gives them their common settings): writes the TXT values of each {@code ChallengeRequested}
 * into BIND (all values of one name together: a domain and its wildcard share it) and answers
 * {@code ChallengeReady}, until the certificate is issued.
 */
final class ChallengeAnswering {

    private final TopicProbe topics;
    private final BindProcess bind;
    private final Set<String> answered = new HashSet<>();

    ChallengeAnswering(TopicProbe topics, BindProcess bind) {
        this.topics = topics;
        this.bind = bind;
    }

    /**
     * Answers challenges of {@code certificateId} until a matching {@code CertificateIssued} appears; fails on an
     * {@code IssuanceFailed} of it, or after {@code timeout} with {@code diagnostics} (attempts, the CA's log).
     */
    CertificateIssued awaitIssued(String certificateId, Predicate<CertificateIssued> matching, Duration timeout,
                                  Callable<String> diagnostics) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            answer(certificateId);
            for (CertificateIssued issued : topics.all(CertificateIssued.class)) {
                if (issued.certificateId().equals(certificateId) && matching.test(issued)) {
                    return issued;
                }
            }
            List<IssuanceFailed> failures = topics.all(IssuanceFailed.class).stream()
                    .filter(f -> f.certificateId().equals(certificateId)).toList();
            assertThat(failures).as("no issuance failure").isEmpty();
            Thread.sleep(100);
        }
        throw new AssertionError("no matching CertificateIssued for " + certificateId + "; " + diagnostics.call());
    }

    /**
     * The settings every issuance service test starts with: a fresh random key-encryption key, and polling and
     * backoff short enough for a test.
     */
    static void quickIssuance(DynamicPropertyRegistry registry) {
        byte[] kek = new byte[32];
        new SecureRandom().nextBytes(kek);
        registry.add("certflow.issuance.key-encryption-key", () -> Base64.getEncoder().encodeToString(kek));
        registry.add("certflow.issuance.poll-interval", () -> "100ms");
        registry.add("certflow.issuance.order-poll-delay", () -> "200ms");
        registry.add("certflow.issuance.backoff.initial", () -> "200ms");
        registry.add("certflow.issuance.revocation-interval", () -> "200ms");
    }

    private void answer(String certificateId) {
        for (ChallengeRequested request : topics.all(ChallengeRequested.class)) {
            if (!request.certificateId().equals(certificateId) || !answered.add(request.eventId().toString())) {
                continue;
            }
            request.challenges().stream().collect(Collectors.groupingBy(ChallengeRequested.DnsChallenge::recordName,
                            Collectors.mapping(ChallengeRequested.DnsChallenge::txtValue, Collectors.toList())))
                    .forEach(bind::addTxt);
            topics.publish(new ChallengeReady(UUID.randomUUID(), Instant.now(), request.accountId(),
                    request.certificateId(), request.attemptId(), true, null));
        }
    }
}
