package io.certflow.issuance.web;

import io.certflow.issuance.persistence.AttemptTrigger;
import io.certflow.issuance.persistence.IssuanceAttempt;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The API's attempt view shows an attempt waiting for a new-order slot, and until when. */
class AttemptViewTest {

    private static final Instant T0 = Instant.parse("2030-01-01T10:00:00Z");

    @Test
    void aWaitingAttemptShowsSinceAndUntilWhen() {
        IssuanceAttempt attempt = IssuanceAttempt.start("a-1", "acc", "crt-1", UUID.randomUUID(),
                AttemptTrigger.FIRST_ISSUANCE, List.of("example.test"), null, null, null, T0);
        assertThat(AttemptController.AttemptView.of(attempt).waitingForRateLimit()).isFalse();

        attempt.waitForRateLimit("default", T0, T0.plusSeconds(600));
        attempt.waitForRateLimit("default", T0.plusSeconds(600), T0.plusSeconds(900));

        AttemptController.AttemptView view = AttemptController.AttemptView.of(attempt);
        assertThat(view.state()).isEqualTo("NEW");
        assertThat(view.waitingForRateLimit()).isTrue();
        assertThat(view.rateLimitedSince()).isEqualTo(T0);
        assertThat(view.rateLimitedUntil()).isEqualTo(T0.plusSeconds(900));
        assertThat(view.nextPollAt()).isEqualTo(T0.plusSeconds(900));
    }
}
