package io.certflow.issuance.issuing;

import io.certflow.events.v1.CertificateIssued;
import io.certflow.events.v1.ChallengeRequested;
import io.certflow.events.v1.IssuanceFailed;
import io.certflow.issuance.ca.CaAccount;
import io.certflow.issuance.ca.CaProblem;
import io.certflow.issuance.ca.CaRateLimitedException;
import io.certflow.issuance.ca.CaRefusedException;
import io.certflow.issuance.ca.CaTransientException;
import io.certflow.issuance.ca.OrderState;
import io.certflow.issuance.ca.OrderStatus;
import io.certflow.issuance.keys.CertificateChain;
import io.certflow.platform.secrets.EnvelopeEncryption;
import io.certflow.platform.secrets.KeyEncryptionKey;
import io.certflow.issuance.keys.KeyType;
import io.certflow.issuance.keys.KeyVault;
import io.certflow.issuance.persistence.AttemptState;
import io.certflow.issuance.persistence.AttemptTrigger;
import io.certflow.issuance.persistence.CertificateVersion;
import io.certflow.issuance.persistence.IssuanceAttempt;
import io.certflow.platform.outbox.OutboxMessage;
import io.certflow.testsupport.SettableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The decisions of the issuance state machine, with a scripted CA and a fixed clock. */
class AttemptStepperTest {

    private static final Instant T0 = Instant.parse("2030-01-01T10:00:00Z");
    private static final Duration POLL_DELAY = Duration.ofSeconds(1);
    private static final Duration FIRST_POLL = Duration.ofMillis(250);

    private final FakeCertificateAuthority ca = new FakeCertificateAuthority();
    private final Map<String, CertificateVersion> stored = new HashMap<>();
    private final KeyVault vault = new KeyVault(new EnvelopeEncryption(KeyEncryptionKey.of(random32())));
    private final KeyPair accountKey = KeyType.EC_P256.generate();
    private int forgotten;
    private Instant now = T0;
    private AttemptStepper stepper;

    @BeforeEach
    void setUp() {
        CaProfiles profiles = new ConfiguredCaProfiles(new CaProfile("default", "https://ca.test/dir", ca, Optional.empty()));
        CaAccounts accounts = new CaAccounts() {
            @Override
            public CaAccount accountFor(String accountId, CaProfile profile) {
                return new CaAccount(URI.create("https://ca.test/acct/" + accountId), accountKey);
            }

            @Override
            public void forget(String accountId, CaProfile profile) {
                forgotten++;
            }
        };
        VersionStore versions = new VersionStore() {
            @Override
            public void store(CertificateVersion version) {
                stored.putIfAbsent(version.getId(), version);
            }

            @Override
            public Optional<CertificateVersion> find(String certificateId, String serialNumber) {
                return Optional.ofNullable(stored.get(CertificateVersion.idOf(certificateId, serialNumber)));
            }
        };
        Clock clock = SettableClock.reading(() -> now);
        stepper = new AttemptStepper(profiles, accounts, vault, versions,
                new BackoffPolicy(Duration.ofSeconds(2), 2.0, Duration.ofMinutes(1), 3),
                new AttemptStepper.Timing(POLL_DELAY, Duration.ofMinutes(30), Duration.ofMinutes(10), FIRST_POLL), clock);
        stepperWith = limiter -> new AttemptStepper(profiles, accounts, vault, versions,
                new BackoffPolicy(Duration.ofSeconds(2), 2.0, Duration.ofMinutes(1), 3),
                new AttemptStepper.Timing(POLL_DELAY, Duration.ofMinutes(30), Duration.ofMinutes(10)), clock, limiter);
    }

    private java.util.function.Function<OrderRateLimiter, AttemptStepper> stepperWith;

    private AttemptStepper stepperWith(OrderRateLimiter limiter) {
        return stepperWith.apply(limiter);
    }

    @Test
    void theHappyPathPlacesTriggersFinalizesAndIssuesWithOneEventPerStep() {
        IssuanceAttempt attempt = newAttempt(null);

        step(attempt);
        assertThat(attempt.getState()).isEqualTo(AttemptState.AWAITING_CHALLENGES);
        assertThat(attempt.getOrderUrl()).isEqualTo("https://ca.test/order/1");
        assertThat(attempt.getNextPollAt()).isEqualTo(T0.plus(Duration.ofMinutes(30)));
        ChallengeRequested requested = (ChallengeRequested) events(attempt).get(0);
        assertThat(requested.attemptId()).isEqualTo(attempt.getId());
        assertThat(requested.challenges()).singleElement().satisfies(c -> {
            assertThat(c.recordName()).isEqualTo("_acme-challenge.example.test.");
            assertThat(c.txtValue()).isEqualTo("txt-example.test");
        });

        assertThat(attempt.challengeAnswered(true, null, now)).isTrue();
        assertThat(attempt.getState()).isEqualTo(AttemptState.CHALLENGES_READY);
        assertThat(attempt.challengeAnswered(true, null, now)).as("a repeated answer").isFalse();

        step(attempt);
        assertThat(ca.calls).contains("trigger:1");
        assertThat(attempt.getState()).isEqualTo(AttemptState.VALIDATING);
        assertThat(attempt.getNextPollAt()).isEqualTo(now.plus(FIRST_POLL));

        ca.pollAnswers.add(OrderState.of(OrderStatus.PENDING));
        step(attempt);
        assertThat(attempt.getState()).isEqualTo(AttemptState.VALIDATING);

        ca.pollAnswers.add(OrderState.of(OrderStatus.READY));
        step(attempt);
        assertThat(attempt.getState()).isEqualTo(AttemptState.FINALIZING);
        assertThat(attempt.getCertificateKey()).isNotNull();
        assertThat(attempt.getCertificateKey().toString()).doesNotContain(attempt.getCertificateKey().ciphertext());
        assertThat(ca.calls).doesNotContain("finalize");

        ca.pollAnswers.add(OrderState.of(OrderStatus.READY));
        step(attempt);
        assertThat(ca.calls).contains("finalize");
        assertThat(attempt.getState()).isEqualTo(AttemptState.FINALIZING);

        ca.pollAnswers.add(OrderState.of(OrderStatus.PROCESSING));
        ca.pollAnswers.add(OrderState.of(OrderStatus.VALID));
        step(attempt);
        step(attempt);

        assertThat(attempt.getState()).isEqualTo(AttemptState.ISSUED);
        assertThat(attempt.getNextPollAt()).isNull();
        CertificateIssued issued = (CertificateIssued) events(attempt).get(1);
        assertThat(issued.serialNumber()).isEqualTo(attempt.getIssuedSerialNumber()).matches("[0-9a-f]+");
        assertThat(issued.replacesSerialNumber()).isNull();
        assertThat(issued.certificateChainPem()).contains("BEGIN CERTIFICATE").doesNotContain("PRIVATE KEY");
        assertThat(stored).containsKey(CertificateVersion.idOf("crt-1", issued.serialNumber()));
        CertificateVersion version = stored.values().iterator().next();
        assertThat(vault.openPrivateKey(version.getPrivateKey(), "EC", version.keyContext())).isNotNull();
    }

    @Test
    void aRenewalNamesTheCertificateItReplacesToTheCaAndInTheEvent() {
        IssuanceAttempt first = runToIssued(newAttempt(null));
        String firstSerial = first.getIssuedSerialNumber();

        IssuanceAttempt renewal = runToIssued(newAttempt(firstSerial));

        assertThat(ca.replacedPem).isEqualTo(stored.get(CertificateVersion.idOf("crt-1", firstSerial)).getCertificateChainPem());
        CertificateIssued issued = (CertificateIssued) events(renewal).stream().filter(e -> e instanceof CertificateIssued)
                .findFirst().orElseThrow();
        assertThat(issued.replacesSerialNumber()).isEqualTo(firstSerial);
        assertThat(issued.serialNumber()).isNotEqualTo(firstSerial);
    }

    @Test
    void aRenewalCertifiesANewKeyByDefault() {
        IssuanceAttempt first = runToIssued(newAttempt(null));

        IssuanceAttempt renewal = runToIssued(newAttempt(first.getIssuedSerialNumber()));

        assertThat(leafKeyOf(renewal)).isNotEqualTo(leafKeyOf(first));
    }

    @Test
    void withReuseKeyARenewalCertifiesTheKeyOfTheVersionItReplaces_sealedAnewForItself() {
        IssuanceAttempt first = runToIssued(newAttempt(null));
        IssuanceAttempt renewal = newAttempt(first.getIssuedSerialNumber());
        renewal.reuseKeyOfReplacedVersion();

        runToIssued(renewal);

        assertThat(leafKeyOf(renewal)).isEqualTo(leafKeyOf(first));
        CertificateVersion firstVersion = stored.get(CertificateVersion.idOf("crt-1", first.getIssuedSerialNumber()));
        CertificateVersion renewed = stored.get(CertificateVersion.idOf("crt-1", renewal.getIssuedSerialNumber()));
        assertThat(renewed.keyContext()).isNotEqualTo(firstVersion.keyContext());
        assertThat(vault.openPrivateKey(renewed.getPrivateKey(), "EC", renewed.keyContext()).getEncoded())
                .isEqualTo(vault.openPrivateKey(firstVersion.getPrivateKey(), "EC", firstVersion.keyContext()).getEncoded());
    }

    @Test
    void withReuseKeyButAnotherKeyTypeTheRenewalCertifiesANewKeyOfThatType() {
        IssuanceAttempt first = runToIssued(newAttempt(null));
        IssuanceAttempt renewal = IssuanceAttempt.start(UUID.randomUUID().toString(), "acc", "crt-1", UUID.randomUUID(),
                AttemptTrigger.RENEWAL, List.of("example.test"), "EC_P384", null, first.getIssuedSerialNumber(), now);
        renewal.reuseKeyOfReplacedVersion();

        runToIssued(renewal);

        assertThat(leafKeyOf(renewal)).isNotEqualTo(leafKeyOf(first));
        assertThat(KeyType.of(CertificateChain.parse(stored.get(CertificateVersion.idOf("crt-1",
                renewal.getIssuedSerialNumber())).getCertificateChainPem()).leaf().getPublicKey())).contains(KeyType.EC_P384);
    }

    private java.security.PublicKey leafKeyOf(IssuanceAttempt attempt) {
        return CertificateChain.parse(stored.get(CertificateVersion.idOf("crt-1", attempt.getIssuedSerialNumber()))
                .getCertificateChainPem()).leaf().getPublicKey();
    }

    @Test
    void theCasRenewalWindowIsStoredAndCarriedByCertificateIssued_itsRetryAfterHeldToTheBounds() {
        io.certflow.issuance.ca.RenewalWindow window = new io.certflow.issuance.ca.RenewalWindow(
                Instant.parse("2030-03-01T00:00:00Z"), Instant.parse("2030-03-03T00:00:00Z"),
                URI.create("https://ca.test/docs/ari"));
        ca.renewalInfo = (account, pem) -> Optional.of(new io.certflow.issuance.ca.RenewalAdvice(window, now.plusSeconds(5)));

        IssuanceAttempt attempt = runToIssued(newAttempt(null));

        CertificateIssued issued = (CertificateIssued) events(attempt).stream().filter(e -> e instanceof CertificateIssued)
                .findFirst().orElseThrow();
        assertThat(issued.renewalWindowStart()).isEqualTo(window.start());
        assertThat(issued.renewalWindowEnd()).isEqualTo(window.end());
        assertThat(issued.renewalExplanationUrl()).isEqualTo("https://ca.test/docs/ari");
        CertificateVersion version = stored.get(CertificateVersion.idOf("crt-1", issued.serialNumber()));
        assertThat(version.renewalWindow()).isEqualTo(window);
        assertThat(version.getNextRenewalInfoCheckAt()).as("Retry-After of 5 s held to the 1 minute minimum")
                .isEqualTo(now.plus(Duration.ofMinutes(1)));
        assertThat(version.pendingEvents()).as("no RenewalWindowChanged for the first window").isEmpty();
    }

    @Test
    void aCaThatCannotAnswerForTheWindowDoesNotHoldUpTheIssuance() {
        ca.renewalInfo = (account, pem) -> {
            throw new CaTransientException("fetch renewal information: network error", null, null, null);
        };

        IssuanceAttempt attempt = runToIssued(newAttempt(null));

        assertThat(attempt.getState()).isEqualTo(AttemptState.ISSUED);
        CertificateIssued issued = (CertificateIssued) events(attempt).stream().filter(e -> e instanceof CertificateIssued)
                .findFirst().orElseThrow();
        assertThat(issued.hasRenewalWindow()).isFalse();
        CertificateVersion version = stored.get(CertificateVersion.idOf("crt-1", issued.serialNumber()));
        assertThat(version.renewalWindow()).isNull();
        assertThat(version.getNextRenewalInfoCheckAt()).as("asked again after the default 6 hours")
                .isEqualTo(now.plus(Duration.ofHours(6)));
    }

    @Test
    void withoutRenewalInformationTheWindowIsAbsentAndNeverAskedFor() {
        IssuanceAttempt attempt = runToIssued(newAttempt(null));

        CertificateIssued issued = (CertificateIssued) events(attempt).stream().filter(e -> e instanceof CertificateIssued)
                .findFirst().orElseThrow();
        assertThat(issued.hasRenewalWindow()).isFalse();
        assertThat(stored.get(CertificateVersion.idOf("crt-1", issued.serialNumber())).getNextRenewalInfoCheckAt()).isNull();
    }

    @Test
    void transientFailuresBackOffExponentiallyAndHonourRetryAfter() {
        IssuanceAttempt attempt = newAttempt(null);
        ca.nextPlaceAnswer = new CaTransientException("network down", null, null, null);

        step(attempt);
        assertThat(attempt.getState()).isEqualTo(AttemptState.NEW);
        assertThat(attempt.getTransientFailures()).isEqualTo(1);
        assertThat(attempt.getNextPollAt()).isEqualTo(now.plusSeconds(2));
        assertThat(attempt.getLastError()).contains("network down");

        ca.nextPlaceAnswer = new CaTransientException("503", null, null, null);
        step(attempt);
        assertThat(attempt.getNextPollAt()).isEqualTo(now.plusSeconds(4));

        Instant retryAfter = now.plus(Duration.ofMinutes(20));
        ca.nextPlaceAnswer = new CaRateLimitedException("slow down", retryAfter, null);
        step(attempt);
        assertThat(attempt.getNextPollAt()).isEqualTo(retryAfter);

        step(attempt);
        assertThat(attempt.getState()).as("success resets the count").isEqualTo(AttemptState.AWAITING_CHALLENGES);
        assertThat(attempt.getTransientFailures()).isZero();
        assertThat(attempt.getTotalTransientFailures()).as("a rateLimited answer with Retry-After is no failure").isEqualTo(2);
    }

    @Test
    void rateLimitedAnswersParkTheAttemptAsOftenAsTheCaSays_withoutEverCountingAsFailures() {
        IssuanceAttempt attempt = newAttempt(null);
        for (int i = 1; i <= 20; i++) {
            Instant retryAfter = now.plus(Duration.ofHours(3));
            ca.nextPlaceAnswer = new CaRateLimitedException("too many new orders", retryAfter, null);
            step(attempt);
            assertThat(attempt.getState()).isEqualTo(AttemptState.NEW);
            assertThat(attempt.getNextPollAt()).isEqualTo(retryAfter);
            assertThat(attempt.getRateLimitedUntil()).isEqualTo(retryAfter);
            now = retryAfter;
        }
        assertThat(attempt.getTransientFailures()).isZero();
        assertThat(attempt.pendingEvents()).isEmpty();

        step(attempt);
        assertThat(attempt.getState()).as("the CA's limit lifted").isEqualTo(AttemptState.AWAITING_CHALLENGES);
    }

    @Test
    void aRateLimitLongerThanAWeekFromTheStartEndsTheAttemptRetryable() {
        IssuanceAttempt attempt = newAttempt(null);
        ca.nextPlaceAnswer = new CaRateLimitedException("too many certificates for this name", now.plus(Duration.ofDays(8)),
                null);

        step(attempt);

        assertThat(attempt.getState()).isEqualTo(AttemptState.FAILED);
        IssuanceFailed failed = (IssuanceFailed) events(attempt).get(0);
        assertThat(failed.retryable()).isTrue();
        assertThat(failed.reason()).contains("rate-limits this account").contains("too many certificates");
    }

    @Test
    void aRateLimitedAnswerWithoutRetryAfterBacksOffLikeATransientFailure() {
        IssuanceAttempt attempt = newAttempt(null);
        ca.nextPlaceAnswer = new CaRateLimitedException("slow down", null, null);

        step(attempt);

        assertThat(attempt.getTransientFailures()).isEqualTo(1);
        assertThat(attempt.getNextPollAt()).isEqualTo(now.plusSeconds(2));
    }

    @Test
    void tooManyTransientFailuresInARowFailRetryable() {
        IssuanceAttempt attempt = newAttempt(null);
        for (int i = 0; i < 4; i++) {
            ca.nextPlaceAnswer = new CaTransientException("HTTP 503", "urn:certflow:issuance:ca:http-503", null, null);
            step(attempt);
        }

        assertThat(attempt.getState()).isEqualTo(AttemptState.FAILED);
        IssuanceFailed failed = (IssuanceFailed) events(attempt).get(0);
        assertThat(failed.retryable()).isTrue();
        assertThat(failed.reason()).contains("4 failures in a row").contains("HTTP 503");
    }

    @Test
    void aRefusalFailsWithTheCasProblemType() {
        IssuanceAttempt attempt = newAttempt(null);
        ca.nextPlaceAnswer = new CaRefusedException(new CaProblem("urn:ietf:params:acme:error:rejectedIdentifier",
                "example.test is on the block list"), false);

        step(attempt);

        assertThat(attempt.getState()).isEqualTo(AttemptState.FAILED);
        IssuanceFailed failed = (IssuanceFailed) events(attempt).get(0);
        assertThat(failed.problemType()).isEqualTo("urn:ietf:params:acme:error:rejectedIdentifier");
        assertThat(failed.reason()).isEqualTo("example.test is on the block list");
        assertThat(failed.retryable()).isFalse();
    }

    @Test
    void anInvalidOrderAfterValidationFailsWithTheChallengeProblem() {
        IssuanceAttempt attempt = toValidating(newAttempt(null));
        ca.pollAnswers.add(new OrderState(OrderStatus.INVALID, null,
                new CaProblem("urn:ietf:params:acme:error:dns", "example.test: No TXT records found")));

        step(attempt);

        IssuanceFailed failed = (IssuanceFailed) events(attempt).get(1);
        assertThat(failed.problemType()).isEqualTo("urn:ietf:params:acme:error:dns");
        assertThat(failed.reason()).contains("No TXT records");
        assertThat(failed.retryable()).isTrue();
    }

    @Test
    void theCasRetryAfterDelaysTheNextPoll() {
        IssuanceAttempt attempt = toValidating(newAttempt(null));
        Instant retryAfter = now.plusSeconds(30);
        ca.pollAnswers.add(new OrderState(OrderStatus.PENDING, retryAfter, null));

        step(attempt);

        assertThat(attempt.getNextPollAt()).isEqualTo(retryAfter);
    }

    @Test
    void aRateLimitedAnswerWhilePollingParksTheAttemptUntilRetryAfter() {
        IssuanceAttempt attempt = toValidating(newAttempt(null));
        Instant retryAfter = now.plus(Duration.ofMinutes(45));
        ca.pollAnswers.add(new CaRateLimitedException("too many requests", retryAfter, null));

        step(attempt);

        assertThat(attempt.getState()).isEqualTo(AttemptState.VALIDATING);
        assertThat(attempt.getNextPollAt()).isEqualTo(retryAfter);
        assertThat(attempt.getFailure()).isNull();
        assertThat(attempt.getLastError()).contains("too many requests");
    }

    @Test
    void withoutANewOrderSlotTheAttemptWaitsInsteadOfFailing() {
        Instant until = now.plusSeconds(90);
        AttemptStepper limited = stepperWith((profile, a, at) -> new NewOrderLimit.Decision(false, null, until));
        IssuanceAttempt attempt = newAttempt(null);

        limited.advance(attempt).applyTo(attempt);

        assertThat(attempt.getState()).isEqualTo(AttemptState.NEW);
        assertThat(attempt.waitingForRateLimit()).isTrue();
        assertThat(attempt.getWaitingForRateLimitSince()).isEqualTo(T0);
        assertThat(attempt.getRateLimitedUntil()).isEqualTo(until);
        assertThat(attempt.getNextPollAt()).isEqualTo(until);
        assertThat(attempt.pendingEvents()).isEmpty();
        assertThat(ca.calls).doesNotContain("place");

        now = until;
        stepperWith(OrderRateLimiter.UNLIMITED).advance(attempt).applyTo(attempt);

        assertThat(attempt.getState()).isEqualTo(AttemptState.AWAITING_CHALLENGES);
        assertThat(attempt.waitingForRateLimit()).isFalse();
        assertThat(attempt.getWaitingForRateLimitSince()).isNull();
        assertThat(ca.calls).containsOnlyOnce("place");
    }

    @Test
    void challengesNeverConfirmedTimeOutRetryable() {
        IssuanceAttempt attempt = newAttempt(null);
        step(attempt);

        now = now.plus(Duration.ofMinutes(10));
        step(attempt);
        assertThat(attempt.getState()).isEqualTo(AttemptState.AWAITING_CHALLENGES);

        now = T0.plus(Duration.ofMinutes(30));
        step(attempt);
        assertThat(attempt.getState()).isEqualTo(AttemptState.FAILED);
        IssuanceFailed failed = (IssuanceFailed) events(attempt).get(1);
        assertThat(failed.problemType()).isEqualTo(IssuanceProblems.CHALLENGE_TIMEOUT);
        assertThat(failed.retryable()).isTrue();
    }

    @Test
    void aChallengeThatCouldNotBePublishedFailsTheAttempt() {
        IssuanceAttempt attempt = newAttempt(null);
        step(attempt);

        attempt.challengeAnswered(false, "no delegation for example.test", now);

        assertThat(attempt.getState()).isEqualTo(AttemptState.FAILED);
        IssuanceFailed failed = (IssuanceFailed) events(attempt).get(1);
        assertThat(failed.reason()).contains("no delegation for example.test");
        assertThat(failed.retryable()).isTrue();
    }

    @Test
    void aValidationThatNeverEndsTimesOut() {
        IssuanceAttempt attempt = toValidating(newAttempt(null));
        now = now.plus(Duration.ofMinutes(11));

        step(attempt);

        assertThat(attempt.getState()).isEqualTo(AttemptState.FAILED);
        assertThat(attempt.getFailure().problemType()).isEqualTo(IssuanceProblems.VALIDATION_TIMEOUT);
        assertThat(ca.calls).doesNotContain("poll");
    }

    @Test
    void aCertificateForAnotherKeyIsNotAccepted() {
        IssuanceAttempt attempt = toValidating(newAttempt(null));
        ca.pollAnswers.add(OrderState.of(OrderStatus.READY));
        step(attempt);
        ca.pollAnswers.add(OrderState.of(OrderStatus.READY));
        step(attempt);
        ca.certifyInstead = KeyType.EC_P256.generate().getPublic();
        ca.pollAnswers.add(OrderState.of(OrderStatus.VALID));

        step(attempt);

        assertThat(attempt.getState()).isEqualTo(AttemptState.FAILED);
        assertThat(attempt.getFailure().problemType()).isEqualTo(IssuanceProblems.CA_INCONSISTENT);
        assertThat(stored).isEmpty();
    }

    @Test
    void anUnknownCaProfileOrKeyTypeIsAFinalFailure() {
        IssuanceAttempt profile = IssuanceAttempt.start("a-p", "acc", "crt-1", UUID.randomUUID(), AttemptTrigger.FIRST_ISSUANCE,
                List.of("example.test"), null, "zerossl", null, now);
        IssuanceAttempt keyType = IssuanceAttempt.start("a-k", "acc", "crt-1", UUID.randomUUID(), AttemptTrigger.FIRST_ISSUANCE,
                List.of("example.test"), "DSA_512", null, null, now);

        step(profile);
        step(keyType);

        assertThat(profile.getFailure().problemType()).isEqualTo(IssuanceProblems.UNKNOWN_CA_PROFILE);
        assertThat(profile.getFailure().retryable()).isFalse();
        assertThat(keyType.getFailure().problemType()).isEqualTo(IssuanceProblems.UNSUPPORTED_KEY_TYPE);
        assertThat(ca.calls).isEmpty();
    }

    @Test
    void anAccountTheCaForgotIsRegisteredAgain() {
        IssuanceAttempt attempt = newAttempt(null);
        ca.nextPlaceAnswer = new CaRefusedException(new CaProblem("urn:ietf:params:acme:error:accountDoesNotExist",
                "unknown account"), true);

        step(attempt);

        assertThat(forgotten).isEqualTo(1);
        assertThat(attempt.getState()).isEqualTo(AttemptState.NEW);
        assertThat(attempt.getNextPollAt()).isEqualTo(now);
    }

    @Test
    void aCancelledAttemptStaysCancelled() {
        IssuanceAttempt attempt = newAttempt(null);
        step(attempt);

        assertThat(attempt.cancel(now)).isTrue();
        assertThat(attempt.challengeAnswered(true, null, now)).isFalse();
        attempt.fail("late", null, true, now);

        assertThat(attempt.getState()).isEqualTo(AttemptState.CANCELLED);
        assertThat(attempt.pendingEvents()).hasSize(1);
    }

    @Test
    void backoffIsBoundedAndRetryAfterWins() {
        BackoffPolicy policy = new BackoffPolicy(Duration.ofSeconds(2), 2.0, Duration.ofMinutes(1), 3);

        assertThat(policy.nextTry(1, T0, null)).isEqualTo(T0.plusSeconds(2));
        assertThat(policy.nextTry(3, T0, null)).isEqualTo(T0.plusSeconds(8));
        assertThat(policy.nextTry(20, T0, null)).isEqualTo(T0.plusSeconds(60));
        assertThat(policy.nextTry(1, T0, T0.plusSeconds(90))).isEqualTo(T0.plusSeconds(90));
        assertThat(policy.nextTry(3, T0, T0.plusSeconds(1))).isEqualTo(T0.plusSeconds(8));
        assertThat(policy.exhausted(3)).isFalse();
        assertThat(policy.exhausted(4)).isTrue();
    }

    private IssuanceAttempt runToIssued(IssuanceAttempt attempt) {
        toValidating(attempt);
        ca.pollAnswers.add(OrderState.of(OrderStatus.READY));
        step(attempt);
        ca.pollAnswers.add(OrderState.of(OrderStatus.READY));
        step(attempt);
        ca.pollAnswers.add(OrderState.of(OrderStatus.VALID));
        step(attempt);
        assertThat(attempt.getState()).isEqualTo(AttemptState.ISSUED);
        return attempt;
    }

    private IssuanceAttempt toValidating(IssuanceAttempt attempt) {
        step(attempt);
        attempt.challengeAnswered(true, null, now);
        step(attempt);
        assertThat(attempt.getState()).isEqualTo(AttemptState.VALIDATING);
        return attempt;
    }

    @Test
    void aTriggeredOrderIsPolledSoon_thenAsLongAgainAsItWaited_neverMoreThanTheOrderPollDelayApart() {
        IssuanceAttempt attempt = newAttempt(null);
        step(attempt);
        attempt.challengeAnswered(true, null, now);
        step(attempt);
        Instant triggered = now;
        assertThat(attempt.getNextPollAt()).isEqualTo(triggered.plus(FIRST_POLL));

        List<Duration> delays = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            now = attempt.getNextPollAt();
            ca.pollAnswers.add(OrderState.of(OrderStatus.PENDING));
            step(attempt);
            delays.add(Duration.between(now, attempt.getNextPollAt()));
        }

        assertThat(delays).containsExactly(Duration.ofMillis(250), Duration.ofMillis(500), POLL_DELAY, POLL_DELAY,
                POLL_DELAY);
    }

    private IssuanceAttempt newAttempt(String replaces) {
        return IssuanceAttempt.start(UUID.randomUUID().toString(), "acc", "crt-1", UUID.randomUUID(),
                replaces == null ? AttemptTrigger.FIRST_ISSUANCE : AttemptTrigger.RENEWAL, List.of("example.test"),
                null, null, replaces, now);
    }

    private void step(IssuanceAttempt attempt) {
        stepper.advance(attempt).applyTo(attempt);
    }

    private static List<Object> events(IssuanceAttempt attempt) {
        return attempt.pendingEvents().stream().map(OutboxMessage::event).map(Object.class::cast).toList();
    }

    private static byte[] random32() {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        return raw;
    }

}
