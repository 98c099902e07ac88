package io.certflow.verification.persistence;

import io.certflow.verification.dns.lookup.DelegationDiagnosis;
import io.certflow.verification.dns.lookup.DelegationResult;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DomainAuthorizationTest {

    private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");
    private static final String LABEL = "mzxw6ytboimzxw6ytboimzxw6ytboimz";

    private final DomainAuthorization authorization =
            DomainAuthorization.create("acct", "www.example.com", LABEL, "acme.certflow.test.", NOW);

    @Test
    void startsPendingWithItsOwnTarget() {
        assertThat(authorization.getId()).isEqualTo("acct/www.example.com");
        assertThat(authorization.getAccountId()).isEqualTo("acct");
        assertThat(authorization.getState()).isEqualTo(DomainAuthorization.State.PENDING);
        assertThat(authorization.getRecordName()).isEqualTo("_acme-challenge.www.example.com.");
        assertThat(authorization.getDelegationTarget()).isEqualTo(LABEL + ".acme.certflow.test.");
        assertThat(authorization.getMethod()).isEqualTo("CNAME_DELEGATION");
    }

    @Test
    void verifiedCheckVerifiesOnce() {
        assertThat(authorization.recordCheck(diagnosis(DelegationResult.VERIFIED), NOW)).isTrue();
        assertThat(authorization.isVerified()).isTrue();
        assertThat(authorization.getVerifiedAt()).isEqualTo(NOW);
        assertThat(authorization.recordCheck(diagnosis(DelegationResult.VERIFIED), NOW.plusSeconds(60))).isFalse();
        assertThat(authorization.getVerifiedAt()).isEqualTo(NOW);
        assertThat(authorization.getLastCheck().checkedAt()).isEqualTo(NOW.plusSeconds(60));
    }

    @Test
    void failedLookupKeepsTheStateButAnotherFindingRevokesIt() {
        authorization.recordCheck(diagnosis(DelegationResult.VERIFIED), NOW);
        authorization.recordCheck(diagnosis(DelegationResult.LOOKUP_FAILED), NOW.plusSeconds(1));
        assertThat(authorization.isVerified()).isTrue();
        assertThat(authorization.getLastCheck().result()).isEqualTo("LOOKUP_FAILED");

        authorization.recordCheck(diagnosis(DelegationResult.WRONG_TARGET), NOW.plusSeconds(2));
        assertThat(authorization.getState()).isEqualTo(DomainAuthorization.State.PENDING);
        assertThat(authorization.getLastCheck().found()).containsExactly("x.");
    }

    private static DelegationDiagnosis diagnosis(DelegationResult result) {
        return new DelegationDiagnosis("www.example.com", result, "detail", LABEL + ".acme.certflow.test.", List.of("x."));
    }
}
