package io.certflow.hosting.renewal;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RenewalPolicyTest {

    private static final Instant ISSUED = Instant.parse("2025-01-01T00:00:00Z");
    private static final Instant EXPIRES = ISSUED.plus(90, ChronoUnit.DAYS);
    private final RenewalPolicy policy = RenewalPolicy.defaults();

    @Test
    void aNinetyDayCertificateIsRenewedWhenAThirdOfItsLifetimeRemains() {
        Instant at = policy.renewalTime(ISSUED, EXPIRES);

        assertThat(Duration.between(at, EXPIRES)).isBetween(Duration.ofHours(719), Duration.ofHours(720));
        assertThat(at).isEqualTo(EXPIRES.minusMillis(Math.round(Duration.ofDays(90).toMillis() * 0.3333)));
    }

    @Test
    void theShareIsConfigurable() {
        RenewalPolicy half = new RenewalPolicy(0.5, Duration.ofHours(1), Duration.ofHours(32));

        assertThat(half.renewalTime(ISSUED, EXPIRES)).isEqualTo(ISSUED.plus(45, ChronoUnit.DAYS));
        assertThat(half.dueReason()).isEqualTo("50% of the lifetime remains");
        assertThat(policy.dueReason()).isEqualTo("one third of the lifetime remains");
    }

    @Test
    void shortLivedCertificatesScaleTheSameWay() {
        Instant notAfter = ISSUED.plus(6, ChronoUnit.DAYS);

        assertThat(policy.renewalTime(ISSUED, notAfter)).isCloseTo(ISSUED.plus(4, ChronoUnit.DAYS),
                org.assertj.core.api.Assertions.within(1, ChronoUnit.MINUTES));
    }

    @Test
    void noRenewalStartsAtOrAfterTheEndOfTheTerm() {
        Instant renewal = policy.renewalTime(ISSUED, EXPIRES);

        assertThat(policy.nextRenewalAt(ISSUED, EXPIRES, renewal.plusSeconds(1))).isEqualTo(renewal);
        assertThat(policy.nextRenewalAt(ISSUED, EXPIRES, renewal)).isNull();
        assertThat(policy.nextRenewalAt(ISSUED, EXPIRES, ISSUED.plus(30, ChronoUnit.DAYS))).isNull();
        assertThat(policy.nextRenewalAt(ISSUED, EXPIRES, null)).as("no known term, no limit").isEqualTo(renewal);
    }

    @Test
    void failedRenewalsBackOffFromOneHourDoublingToThirtyTwo() {
        assertThat(policy.backoff(1)).isEqualTo(Duration.ofHours(1));
        assertThat(policy.backoff(2)).isEqualTo(Duration.ofHours(2));
        assertThat(policy.backoff(3)).isEqualTo(Duration.ofHours(4));
        assertThat(policy.backoff(4)).isEqualTo(Duration.ofHours(8));
        assertThat(policy.backoff(5)).isEqualTo(Duration.ofHours(16));
        assertThat(policy.backoff(6)).isEqualTo(Duration.ofHours(32));
        assertThat(policy.backoff(7)).isEqualTo(Duration.ofHours(32));
        assertThat(policy.backoff(1000)).isEqualTo(Duration.ofHours(32));
    }

    @Test
    void aRetryIsNotScheduledPastTheTerm() {
        Instant now = Instant.parse("2025-03-01T12:00:00Z");

        assertThat(policy.retryAt(now, 1, null)).isEqualTo(now.plus(1, ChronoUnit.HOURS));
        assertThat(policy.retryAt(now, 3, now.plus(5, ChronoUnit.HOURS))).isEqualTo(now.plus(4, ChronoUnit.HOURS));
        assertThat(policy.retryAt(now, 4, now.plus(5, ChronoUnit.HOURS))).isNull();
    }

    @Test
    void aShareOutsideZeroToOneIsRefused() {
        assertThatThrownBy(() -> new RenewalPolicy(0, Duration.ofHours(1), Duration.ofHours(32)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RenewalPolicy(1, Duration.ofHours(1), Duration.ofHours(32)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void renewalIdsAreDerivedFromWhatIsRenewed() {
        assertThat(RenewalIds.of("crt_1", "0a", false, 0)).isEqualTo(RenewalIds.of("crt_1", "0a", false, 0));
        assertThat(RenewalIds.of("crt_1", "0a", false, 0))
                .isEqualTo(java.util.UUID.nameUUIDFromBytes("crt_1/0a".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(RenewalIds.of("crt_1", "0a", true, 0))
                .isEqualTo(java.util.UUID.nameUUIDFromBytes("crt_1/0a/manual".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(RenewalIds.of("crt_1", "0a", false, 0)).isNotEqualTo(RenewalIds.of("crt_1", "0b", false, 0))
                .isNotEqualTo(RenewalIds.of("crt_2", "0a", false, 0))
                .isNotEqualTo(RenewalIds.of("crt_1", "0a", true, 0))
                .isNotEqualTo(RenewalIds.of("crt_1", "0a", false, 1));
    }
}
