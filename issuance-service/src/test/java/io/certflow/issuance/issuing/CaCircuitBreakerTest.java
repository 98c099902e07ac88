package io.certflow.issuance.issuing;

import io.certflow.issuance.ca.CaAccount;
import io.certflow.issuance.ca.CaRefusedException;
import io.certflow.issuance.ca.CaProblem;
import io.certflow.issuance.ca.CaTransientException;
import io.certflow.issuance.keys.KeyType;
import io.certflow.issuance.keys.KeyVault;
import io.certflow.issuance.persistence.AttemptState;
import io.certflow.issuance.persistence.AttemptTrigger;
import io.certflow.issuance.persistence.CertificateVersion;
import io.certflow.issuance.persistence.IssuanceAttempt;
import io.certflow.platform.secrets.EnvelopeEncryption;
import io.certflow.platform.secrets.KeyEncryptionKey;
import io.certflow.testsupport.SettableClock;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CA circuit breaker with the stepper: a CA that cannot be reached opens the circuit after half of the last four
 * requests failed; then attempts wait without asking it and without counting failures towards giving up, and once
 * the wait is over a probe that gets an answer closes the circuit and the attempts go on.
 */
class CaCircuitBreakerTest {

    private static final Instant T0 = Instant.parse("2030-01-01T10:00:00Z");

    private final FakeCertificateAuthority ca = new FakeCertificateAuthority();
    private Instant now = T0;
    private CaCircuitBreaker circuit;
    private AttemptStepper stepper;

    @BeforeEach
    void setUp() {
        byte[] kek = new byte[32];
        new SecureRandom().nextBytes(kek);
        KeyPair accountKey = KeyType.EC_P256.generate();
        CaProfiles profiles = new ConfiguredCaProfiles(new CaProfile("default", "https://ca.test/dir", ca, Optional.empty()));
        CaAccounts accounts = new CaAccounts() {
            @Override
            public CaAccount accountFor(String accountId, CaProfile profile) {
                return new CaAccount(URI.create("https://ca.test/acct/" + accountId), accountKey);
            }

            @Override
            public void forget(String accountId, CaProfile profile) {
            }
        };
        VersionStore versions = new VersionStore() {
            @Override
            public void store(CertificateVersion version) {
            }

            @Override
            public Optional<CertificateVersion> find(String certificateId, String serialNumber) {
                return Optional.empty();
            }
        };
        SettableClock clock = SettableClock.reading(() -> now);
        circuit = new CaCircuitBreaker(CircuitBreakerRegistry.ofDefaults(),
                new CaCircuitBreakerProperties(true, 4, 50, Duration.ofSeconds(30), 1, Duration.ofSeconds(5)), clock);
        stepper = new AttemptStepper(profiles, accounts, new KeyVault(new EnvelopeEncryption(KeyEncryptionKey.of(kek))),
                versions, new BackoffPolicy(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(10), 3),
                new AttemptStepper.Timing(Duration.ofSeconds(1), Duration.ofMinutes(30), Duration.ofMinutes(10)), clock)
                .withCircuitBreaker(circuit);
    }

    @Test
    void anUnreachableCaOpensTheCircuit_attemptsWaitUncounted_andGoOnOnceAProbeIsAnswered() {
        IssuanceAttempt a = newAttempt();
        IssuanceAttempt b = newAttempt();
        for (int i = 0; i < 2; i++) {
            unreachableOnce(a);
            unreachableOnce(b);
        }
        assertThat(state()).isEqualTo(CircuitBreaker.State.OPEN);
        int asked = ca.calls.size();

        step(a);
        assertThat(ca.calls).as("nobody asks a CA whose circuit is open").hasSize(asked);
        assertThat(a.getState()).isEqualTo(AttemptState.NEW);
        assertThat(a.getTransientFailures()).as("waiting is not a failure").isEqualTo(2);
        assertThat(a.getWaitingForCaSince()).isEqualTo(now);
        assertThat(a.getNextPollAt()).isEqualTo(now.plusSeconds(5));
        assertThat(a.getLastError()).contains("circuit open");
        for (int i = 0; i < 20; i++) {
            now = now.plusSeconds(1);
            step(b);
        }
        assertThat(b.getState()).as("20 s parked and still not given up").isEqualTo(AttemptState.NEW);

        now = now.plusSeconds(11); // past open-for: one probe goes
        step(a);
        assertThat(a.getState()).isEqualTo(AttemptState.AWAITING_CHALLENGES);
        assertThat(a.getWaitingForCaSince()).isNull();
        assertThat(state()).isEqualTo(CircuitBreaker.State.CLOSED);
        step(b);
        assertThat(b.getState()).isEqualTo(AttemptState.AWAITING_CHALLENGES);
    }

    @Test
    void aRefusalIsAnAnswer_itNeverOpensTheCircuit() {
        for (int i = 0; i < 6; i++) {
            IssuanceAttempt attempt = newAttempt();
            ca.nextPlaceAnswer = new CaRefusedException(new CaProblem("urn:ietf:params:acme:error:rejectedIdentifier",
                    "no"), false);
            step(attempt);
            assertThat(attempt.getState()).isEqualTo(AttemptState.FAILED);
        }
        assertThat(state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    private void unreachableOnce(IssuanceAttempt attempt) {
        ca.nextPlaceAnswer = new CaTransientException("connection reset", null, null, null);
        step(attempt);
    }

    private CircuitBreaker.State state() {
        return circuit.of("default").orElseThrow().getState();
    }

    private void step(IssuanceAttempt attempt) {
        stepper.advance(attempt).applyTo(attempt);
    }

    private IssuanceAttempt newAttempt() {
        return IssuanceAttempt.start(UUID.randomUUID().toString(), "acc", "crt-" + UUID.randomUUID(), UUID.randomUUID(),
                AttemptTrigger.FIRST_ISSUANCE, List.of("example.test"), null, null, null, now);
    }
}
