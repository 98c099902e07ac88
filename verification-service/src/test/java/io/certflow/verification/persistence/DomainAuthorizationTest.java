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

        authorization.recordCheck(diagnosis(DelegationResult.WRONG_TARGET), NOW.plusSeconds(2),
                List.of("crt_1", "crt_2"), NOW.plusSeconds(60));
        assertThat(authorization.getState()).isEqualTo(DomainAuthorization.State.LOST);
        assertThat(authorization.getLastCheck().found()).containsExactly("x.");
        assertThat(authorization.getRecheckAt()).isEqualTo(NOW.plusSeconds(60));
        assertThat(authorization.pendingEvents()).hasSize(2);
        assertThat(authorization.pendingEvents()).allSatisfy(m -> assertThat(m.toString()).contains("WRONG_TARGET"));

        authorization.recordCheck(diagnosis(DelegationResult.NXDOMAIN), NOW.plusSeconds(3), List.of("crt_1"), null);
        assertThat(authorization.getState()).as("still lost; warned once").isEqualTo(DomainAuthorization.State.LOST);
        assertThat(authorization.pendingEvents()).hasSize(2);

        authorization.recordCheck(diagnosis(DelegationResult.VERIFIED), NOW.plusSeconds(4));
        assertThat(authorization.isVerified()).as("a fixed CNAME comes back").isTrue();
    }

    @Test
    void aDomainNeverVerifiedStaysPendingAndWarnsNobody() {
        authorization.recordCheck(diagnosis(DelegationResult.WRONG_TARGET), NOW, List.of("crt_1"), null);
        assertThat(authorization.getState()).isEqualTo(DomainAuthorization.State.PENDING);
        assertThat(authorization.pendingEvents()).isEmpty();
    }

    private static DelegationDiagnosis diagnosis(DelegationResult result) {
        return new DelegationDiagnosis("www.example.com", result, "detail", LABEL + ".acme.certflow.test.", List.of("x."));
    }
}
