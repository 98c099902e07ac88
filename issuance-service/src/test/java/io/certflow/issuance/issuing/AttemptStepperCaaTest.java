package io.certflow.issuance.issuing;

import io.certflow.events.v1.IssuanceFailed;
import io.certflow.issuance.ca.CaAccount;
import io.certflow.issuance.ca.CaTransientException;
import io.certflow.issuance.caa.CaaCheck;
import io.certflow.issuance.caa.CaaIdentities;
import io.certflow.issuance.caa.CaaRecord;
import io.certflow.issuance.caa.CaaRecordSet;
import io.certflow.platform.secrets.EnvelopeEncryption;
import io.certflow.platform.secrets.KeyEncryptionKey;
import io.certflow.issuance.keys.KeyType;
import io.certflow.issuance.keys.KeyVault;
import io.certflow.issuance.persistence.AttemptState;
import io.certflow.issuance.persistence.AttemptTrigger;
import io.certflow.issuance.persistence.IssuanceAttempt;
import io.certflow.platform.outbox.OutboxMessage;
import io.certflow.testsupport.SettableClock;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CAA pre-check in the state machine: a definite refusal ends the attempt before any order, final, naming the
 * record to add; the CA's identities come from the profile, else from its directory; nothing is checked when an
 * order the CA already holds is adopted, and a lookup that cannot be made never stops an order.
 */
class AttemptStepperCaaTest {

    private static final Instant T0 = Instant.parse("2030-01-01T10:00:00Z");

    private final FakeCertificateAuthority ca = new FakeCertificateAuthority();
    private final KeyPair accountKey = KeyType.EC_P256.generate();
    private final Map<String, List<CaaRecord>> zone = new HashMap<>();
    private final List<String> asked = new ArrayList<>();
    private final CaaCheck caa = new CaaCheck(name -> {
        asked.add(name);
        return new CaaRecordSet(name, name, zone.getOrDefault(name, List.of()));
    });

    @Test
    void aCaaRecordSetThatForbidsTheProfilesCaEndsTheAttemptFinal_withoutAnOrder() {
        zone.put("example.test.", List.of(new CaaRecord(0, "issue", "sectigo.com")));
        IssuanceAttempt attempt = newAttempt("www.example.test");

        step(stepper(identities("letsencrypt.org")), attempt);

        assertThat(attempt.getState()).isEqualTo(AttemptState.FAILED);
        assertThat(ca.calls).doesNotContain("place");
        assertThat(attempt.getOrderIntentAt()).as("no order was asked for").isNull();
        IssuanceFailed failed = (IssuanceFailed) attempt.pendingEvents().stream().map(OutboxMessage::event)
                .filter(IssuanceFailed.class::isInstance).findFirst().orElseThrow();
        assertThat(failed.problemType()).isEqualTo(IssuanceProblems.CAA_FORBIDDEN)
                .isEqualTo("urn:certflow:issuance:caa-forbidden");
        assertThat(failed.retryable()).isFalse();
        assertThat(failed.reason()).isEqualTo("CAA forbids CA profile 'default' (letsencrypt.org) to issue for"
                + " www.example.test: the CAA record set at example.test. [0 issue \"sectigo.com\"] allows only"
                + " sectigo.com to issue certificates. To allow it, add example.test. CAA 0 issue \"letsencrypt.org\""
                + " to that set, then request the certificate again.");
    }

    @Test
    void aCaaRecordSetThatAllowsTheCa_orItsAccount_letsTheOrderBePlaced() {
        zone.put("example.test.", List.of(new CaaRecord(0, "issue", "letsencrypt.org; accounturi=https://ca.test/acct/acc")));
        IssuanceAttempt attempt = newAttempt("www.example.test");

        step(stepper(identities("letsencrypt.org")), attempt);

        assertThat(attempt.getState()).isEqualTo(AttemptState.AWAITING_CHALLENGES);
        assertThat(ca.calls).contains("place");
        assertThat(asked).contains("www.example.test.", "example.test.");

        zone.put("example.test.", List.of(new CaaRecord(0, "issue", "letsencrypt.org; accounturi=https://ca.test/acct/other")));
        IssuanceAttempt other = newAttempt("www.example.test");
        step(stepper(identities("letsencrypt.org")), other);
        assertThat(other.getFailure().problemType()).isEqualTo(IssuanceProblems.CAA_FORBIDDEN);
        assertThat(other.getFailure().reason()).contains("only for the ACME account https://ca.test/acct/other (accounturi)");
    }

    @Test
    void withoutConfiguredIdentitiesTheCaDirectorysAreUsed_andWithoutAnyTheCheckIsSkipped() {
        zone.put("example.test.", List.of(new CaaRecord(0, "issue", ";")));
        ca.caaIdentities = List.of("ca.test");
        IssuanceAttempt fromDirectory = newAttempt("example.test");
        step(stepper(CaaIdentities.FROM_DIRECTORY), fromDirectory);
        assertThat(fromDirectory.getFailure().problemType()).isEqualTo(IssuanceProblems.CAA_FORBIDDEN);
        assertThat(fromDirectory.getFailure().reason()).contains("(ca.test)").contains("CAA 0 issue \"ca.test\"");

        ca.caaIdentities = List.of();
        asked.clear();
        IssuanceAttempt noIdentity = newAttempt("example.test");
        step(stepper(CaaIdentities.FROM_DIRECTORY), noIdentity);
        assertThat(noIdentity.getState()).isEqualTo(AttemptState.AWAITING_CHALLENGES);
        assertThat(asked).as("nothing to check against").isEmpty();

        ca.caaIdentities = new CaTransientException("read the directory: network error", null, null, null);
        IssuanceAttempt unreadable = newAttempt("example.test");
        step(stepper(CaaIdentities.FROM_DIRECTORY), unreadable);
        assertThat(unreadable.getState()).as("advisory: the order goes on").isEqualTo(AttemptState.AWAITING_CHALLENGES);
    }

    @Test
    void anOrderTheCaAlreadyHoldsIsAdoptedWithoutCheckingCaaAgain() throws Exception {
        zone.put("example.test.", List.of(new CaaRecord(0, "issue", ";")));
        IssuanceAttempt attempt = newAttempt("example.test");
        attempt.orderIntended(T0);
        ca.placeOrder(new CaAccount(URI.create("https://ca.test/acct/acc"), accountKey), List.of("example.test"),
                Optional.empty());

        step(stepper(identities("letsencrypt.org")), attempt);

        assertThat(attempt.getState()).isEqualTo(AttemptState.AWAITING_CHALLENGES);
        assertThat(attempt.getOrderUrl()).isEqualTo("https://ca.test/order/1");
        assertThat(asked).isEmpty();
    }

    @Test
    void withTheCheckOffNothingIsAsked() {
        zone.put("example.test.", List.of(new CaaRecord(0, "issue", ";")));
        IssuanceAttempt attempt = newAttempt("example.test");

        stepperWith(identities("letsencrypt.org"), CaaCheck.off()).advance(attempt).applyTo(attempt);

        assertThat(attempt.getState()).isEqualTo(AttemptState.AWAITING_CHALLENGES);
        assertThat(ca.calls).doesNotContain("caa-identities");
        assertThat(asked).isEmpty();
    }

    private static CaaIdentities identities(String... names) {
        return new CaaIdentities(List.of(names), CaaIdentities.Source.CONFIGURATION);
    }

    private AttemptStepper stepper(CaaIdentities identities) {
        return stepperWith(identities, caa);
    }

    private AttemptStepper stepperWith(CaaIdentities identities, CaaCheck check) {
        CaProfileSettings settings = new CaProfileSettings(Optional.empty(), KeyType.EC_P256, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), identities);
        CaProfiles profiles = new ConfiguredCaProfiles(new CaProfile("default", "https://ca.test/dir", ca,
                Optional.empty(), settings));
        return new AttemptStepper(profiles, StepperDoubles.fixedAccounts(accountKey),
                new KeyVault(new EnvelopeEncryption(KeyEncryptionKey.of(new byte[32]))), StepperDoubles.noVersions(),
                new BackoffPolicy(Duration.ofSeconds(2), 2.0, Duration.ofMinutes(1), 3),
                new AttemptStepper.Timing(Duration.ofSeconds(1), Duration.ofMinutes(30), Duration.ofMinutes(10)),
                SettableClock.reading(() -> T0)).withCaaCheck(check);
    }

    private static void step(AttemptStepper stepper, IssuanceAttempt attempt) {
        stepper.advance(attempt).applyTo(attempt);
    }

    private static IssuanceAttempt newAttempt(String domain) {
        return IssuanceAttempt.start(UUID.randomUUID().toString(), "acc", "crt-1", UUID.randomUUID(),
                AttemptTrigger.FIRST_ISSUANCE, List.of(domain), null, null, null, T0);
    }
}
