package io.certflow.verification;

import io.certflow.events.v1.CertificateIssued;
import io.certflow.events.v1.CertificateRequested;
import io.certflow.events.v1.ChallengeRequested;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/** The events verification-service's tests publish, as the other services would send them, and a patient wait. */
final class TestEvents {

    static final Duration WAIT = Duration.ofSeconds(30);

    private TestEvents() {
    }

    static CertificateRequested certificateRequested(String account, String certificateId, String... domains) {
        return new CertificateRequested(UUID.randomUUID(), Instant.now(), account, certificateId,
                "ord_" + UUID.randomUUID(), List.of(domains), "dv-single", 1,
                Instant.now().plus(Duration.ofDays(365)), true, null, null);
    }

    static ChallengeRequested challengeRequested(String account, String certificateId, String attemptId,
                                                 ChallengeRequested.DnsChallenge... challenges) {
        return new ChallengeRequested(UUID.randomUUID(), Instant.now(), account, certificateId, attemptId,
                List.of(challenges));
    }

    static CertificateIssued certificateIssued(String account, String certificateId, String attemptId, String domain) {
        return new CertificateIssued(UUID.randomUUID(), Instant.now(), account, certificateId, attemptId,
                "1a2b", "ab".repeat(32), Instant.now(), Instant.now().plus(Duration.ofDays(90)), List.of(domain),
                "CN=Pebble", "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n", null);
    }

    /** Waits until {@code condition} holds, at most {@link #WAIT}. */
    static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("condition not met within " + WAIT);
    }
}
