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

    // RFC 9773 ARI windows: a random moment inside, now when it ended, never at or after the paid term

    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
    private static final Instant WINDOW_START = Instant.parse("2025-03-10T00:00:00Z");
    private static final Instant WINDOW_END = Instant.parse("2025-03-12T00:00:00Z");

    @Test
    void aRenewalInsideTheCasWindowIsARandomMomentOfIt_theSameSeedTheSameMoment() {
        RenewalPolicy seeded = new RenewalPolicy(0.3333, Duration.ofHours(1), Duration.ofHours(32), new java.util.Random(42));
        RenewalPolicy sameSeed = new RenewalPolicy(0.3333, Duration.ofHours(1), Duration.ofHours(32), new java.util.Random(42));

        java.util.List<Instant> moments = java.util.stream.IntStream.range(0, 200)
                .mapToObj(i -> seeded.nextRenewalInWindow(WINDOW_START, WINDOW_END, null, NOW)).toList();

        assertThat(moments).allSatisfy(at -> assertThat(at).isAfterOrEqualTo(WINDOW_START).isBefore(WINDOW_END));
        assertThat(moments.stream().distinct().count()).as("spread, not one fixed moment").isGreaterThan(190);
        assertThat(moments.stream().filter(at -> at.isBefore(Instant.parse("2025-03-11T00:00:00Z"))).count())
                .as("uniform: about half in the first day").isBetween(70L, 130L);
        assertThat(sameSeed.nextRenewalInWindow(WINDOW_START, WINDOW_END, null, NOW)).isEqualTo(moments.get(0));
    }

    @Test
    void aWindowThatStartedIsUsedFromNow_andOneThatEndedMeansNow() {
        RenewalPolicy seeded = new RenewalPolicy(0.3333, Duration.ofHours(1), Duration.ofHours(32), new java.util.Random(7));
        Instant inside = Instant.parse("2025-03-11T18:00:00Z");

        assertThat(seeded.nextRenewalInWindow(WINDOW_START, WINDOW_END, null, inside))
                .isAfterOrEqualTo(inside).isBefore(WINDOW_END);
        assertThat(seeded.nextRenewalInWindow(WINDOW_START, WINDOW_END, null, WINDOW_END.plusSeconds(1)))
                .isEqualTo(WINDOW_END.plusSeconds(1));
    }

    @Test
    void aWindowIsCutAtTheEndOfThePaidTerm_andOneAfterItMeansNoRenewal() {
        RenewalPolicy seeded = new RenewalPolicy(0.3333, Duration.ofHours(1), Duration.ofHours(32), new java.util.Random(7));
        Instant termEnds = Instant.parse("2025-03-10T06:00:00Z");

        for (int i = 0; i < 50; i++) {
            assertThat(seeded.nextRenewalInWindow(WINDOW_START, WINDOW_END, termEnds, NOW))
                    .isAfterOrEqualTo(WINDOW_START).isBefore(termEnds);
        }
        assertThat(seeded.nextRenewalInWindow(WINDOW_START, WINDOW_END, WINDOW_START, NOW)).isNull();
        assertThat(seeded.nextRenewalInWindow(WINDOW_START, WINDOW_END, NOW.plusSeconds(1), WINDOW_END.plusSeconds(5)))
                .as("the window ended, and so did the term").isNull();
    }

    @Test
    void theReasonSaysTheMomentCameFromTheCasWindow() {
        assertThat(policy.windowReason(WINDOW_START, WINDOW_END, "https://ca.test/docs/ari"))
                .isEqualTo("inside the renewal window the CA suggests (2025-03-10T00:00:00Z to 2025-03-12T00:00:00Z);"
                        + " the CA explains: https://ca.test/docs/ari");
        assertThat(policy.windowReason(WINDOW_START, WINDOW_END, null)).doesNotContain("explains");
    }
}
