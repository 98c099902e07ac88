package io.certflow.issuance.issuing;

import io.certflow.events.v1.CertificateRevoked;
import io.certflow.issuance.ca.CaAccount;
import io.certflow.issuance.ca.CaProblem;
import io.certflow.issuance.ca.CaRefusedException;
import io.certflow.issuance.ca.CaTransientException;
import io.certflow.issuance.ca.RevocationReason;
import io.certflow.issuance.keys.CertificateChain;
import io.certflow.issuance.keys.CsrFactory;
import io.certflow.issuance.keys.KeyType;
import io.certflow.issuance.persistence.AttemptTrigger;
import io.certflow.issuance.persistence.CertificateVersion;
import io.certflow.issuance.persistence.CertificateVersionRepository;
import io.certflow.issuance.persistence.IssuanceAttempt;
import io.certflow.issuance.persistence.IssuanceAttemptRepository;
import io.certflow.issuance.issuing.Revocations.Outcome;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** The revocation use case against the fake CA: each CA answer becomes one outcome, and only a revocation is recorded. */
class RevocationsTest {

    private final Clock clock = Clock.fixed(Instant.parse("2030-02-01T00:00:00Z"), ZoneOffset.UTC);
    private final FakeCertificateAuthority ca = new FakeCertificateAuthority();
    private final CertificateVersionRepository versions = mock(CertificateVersionRepository.class);
    private final IssuanceAttemptRepository attempts = mock(IssuanceAttemptRepository.class);
    private Revocations revocations;
    private CertificateVersion version;

    @BeforeEach
    void setUp() throws Exception {
        CaProfiles profiles = new ConfiguredCaProfiles(new CaProfile("default", "https://ca.test/dir", ca, Optional.empty()));
        KeyPair accountKey = KeyType.EC_P256.generate();
        CaAccounts accounts = new CaAccounts() {
            @Override
            public CaAccount accountFor(String accountId, CaProfile profile) {
                return new CaAccount(URI.create("https://ca.test/acct/" + accountId), accountKey);
            }

            @Override
            public void forget(String accountId, CaProfile profile) {
            }
        };
        revocations = new Revocations(versions, attempts, profiles, accounts, clock);

        IssuanceAttempt attempt = IssuanceAttempt.start("att-1", "acc", "crt-1", UUID.randomUUID(),
                AttemptTrigger.FIRST_ISSUANCE, List.of("example.test"), "EC_P256", null, null, clock.instant());
        ca.finalizeOrder(null, CsrFactory.create(KeyType.EC_P256.generate(), KeyType.EC_P256, List.of("example.test")));
        CertificateChain chain = CertificateChain.parse(ca.downloadCertificate(null));
        version = CertificateVersion.of(attempt, chain, "EC", clock.instant());
        when(versions.findById(version.getId())).thenReturn(Optional.of(version));
        when(attempts.findById("att-1")).thenReturn(Optional.of(attempt));
        when(versions.save(any(CertificateVersion.class))).thenAnswer(i -> i.getArgument(0));
    }

    @Test
    void theCaRevokes_theVersionRecordsItAndRaisesCertificateRevoked() {
        Outcome outcome = revocations.revoke("acc", "crt-1", version.getSerialNumber(), RevocationReason.KEY_COMPROMISE);

        assertThat(outcome).isInstanceOf(Outcome.Revoked.class);
        assertThat(ca.calls).contains("revoke:keyCompromise");
        assertThat(version.getRevokedAt()).isEqualTo(clock.instant());
        assertThat(version.getRevocationReason()).isEqualTo("keyCompromise");
        assertThat(version.pendingEvents()).singleElement().satisfies(m -> {
            CertificateRevoked event = (CertificateRevoked) m.event();
            assertThat(event.serialNumber()).isEqualTo(version.getSerialNumber());
            assertThat(event.reason()).isEqualTo("keyCompromise");
            assertThat(event.accountId()).isEqualTo("acc");
            assertThat(event.revokedAt()).isEqualTo(clock.instant());
        });

        Outcome again = revocations.revoke("acc", "crt-1", version.getSerialNumber(), RevocationReason.SUPERSEDED);

        assertThat(again).isInstanceOfSatisfying(Outcome.AlreadyRevoked.class, a -> assertThat(a.byCa()).isFalse());
        assertThat(ca.calls).filteredOn(c -> c.startsWith("revoke")).hasSize(1);
        assertThat(version.pendingEvents()).hasSize(1);
    }

    @Test
    void anotherAccountsVersionIsNotFound_andTheCaIsNotAsked() {
        assertThat(revocations.revoke("other", "crt-1", version.getSerialNumber(), RevocationReason.UNSPECIFIED))
                .isInstanceOf(Outcome.NotFound.class);
        assertThat(ca.calls).noneMatch(c -> c.startsWith("revoke"));
    }

    @Test
    void aCaRefusalOrAnUnreachableCaRecordsNothing() {
        ca.nextRevokeFailure = new CaRefusedException(new CaProblem(CaProblem.ACME_ERROR_PREFIX + "unauthorized",
                "not your certificate"), false);
        assertThat(revocations.revoke("acc", "crt-1", version.getSerialNumber(), RevocationReason.SUPERSEDED))
                .isInstanceOfSatisfying(Outcome.Refused.class, r ->
                        assertThat(r.problem().shortType()).isEqualTo("unauthorized"));

        Instant retryAfter = clock.instant().plusSeconds(60);
        ca.nextRevokeFailure = new CaTransientException("network", null, retryAfter, null);
        assertThat(revocations.revoke("acc", "crt-1", version.getSerialNumber(), RevocationReason.SUPERSEDED))
                .isInstanceOfSatisfying(Outcome.Unavailable.class, u -> assertThat(u.retryAfter()).isEqualTo(retryAfter));

        assertThat(version.isRevoked()).isFalse();
        assertThat(version.pendingEvents()).isEmpty();
        verify(versions, never()).save(any(CertificateVersion.class));
    }

    @Test
    void aRevocationOnlyTheCaKnewIsRecorded() {
        ca.nextRevokeFailure = new CaRefusedException(new CaProblem(CaProblem.ACME_ERROR_PREFIX + "alreadyRevoked",
                "already revoked"), false);

        Outcome outcome = revocations.revoke("acc", "crt-1", version.getSerialNumber(), RevocationReason.KEY_COMPROMISE);

        assertThat(outcome).isInstanceOfSatisfying(Outcome.AlreadyRevoked.class, a -> assertThat(a.byCa()).isTrue());
        assertThat(version.isRevoked()).isTrue();
        assertThat(version.pendingEvents()).singleElement()
                .satisfies(m -> assertThat(m.event()).isInstanceOf(CertificateRevoked.class));
    }
}
