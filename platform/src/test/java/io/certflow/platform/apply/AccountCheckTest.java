package io.certflow.platform.apply;

import io.certflow.events.v1.ChallengeReady;
import io.certflow.platform.messaging.RejectedEventException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An event changes only an aggregate of its own account. */
class AccountCheckTest {

    private final ChallengeReady ofAccountB = new ChallengeReady(UUID.randomUUID(), Instant.parse("2026-11-27T10:00:00Z"),
            "account-b", "cert-1", "attempt-1", true, null);

    @Test
    void theOwnersEventPasses() {
        assertThatCode(() -> AccountCheck.requireOwner("account-b", "ManagedCertificate cert-1", ofAccountB))
                .doesNotThrowAnyException();
        assertThatCode(() -> AccountCheck.requireOwner(null, "ManagedCertificate cert-1", ofAccountB))
                .as("nothing recorded to compare with").doesNotThrowAnyException();
    }

    @Test
    void anotherAccountsEventIsRefusedWithTheAccountMismatchReason() {
        assertThatThrownBy(() -> AccountCheck.requireOwner("account-a", "ManagedCertificate cert-1", ofAccountB))
                .isInstanceOf(RejectedEventException.class)
                .hasMessage("account-mismatch: ManagedCertificate cert-1 belongs to another account than the event's");
    }
}
