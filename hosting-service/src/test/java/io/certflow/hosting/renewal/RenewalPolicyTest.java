package io.certflow.hosting.renewal;

import io.certflow.events.v1.MaintenanceWindow;
import io.certflow.hosting.maintenance.MaintenanceWindows;
import io.certflow.platform.maintenance.MaintenanceSchedule;
import io.certflow.hosting.managing.RenewalWindow;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The ordered checks of {@link RenewalPolicy}, with fixed instants and the reasons people read. */
class RenewalPolicyTest {

    /** A Saturday. */
    private static final Instant ISSUED = Instant.parse("2025-03-01T12:00:00Z");
    private static final Instant EXPIRES = ISSUED.plus(90, ChronoUnit.DAYS);
    private static final Instant NOW = ISSUED.plus(1, ChronoUnit.HOURS);

    private final RenewalPolicy policy = RenewalPolicy.defaults().withoutJitter();
    private final RenewalPolicy jittered = RenewalPolicy.defaults();

    @Test
    void byDefaultARenewalIsPlannedWhenAThirdOfTheLifetimeRemains_andSaysSo() {
        RenewalPlan plan = policy.plan(facts("crt_1", null), MaintenanceWindows.NONE, NOW);

        Instant expected = EXPIRES.minusMillis(Math.round(Duration.ofDays(90).toMillis() * 0.3333));
        assertThat(plan.at()).isEqualTo(expected);
        assertThat(Duration.between(plan.at(), EXPIRES)).isBetween(Duration.ofHours(719), Duration.ofHours(720));
        assertThat(plan.reasons()).containsExactly("one third of the lifetime remains (" + expected + ")");
    }

    @Test
    void theShareIsConfigurable_andAFixedRenewBeforeReplacesIt() {
        RenewalPolicy half = new RenewalPolicy(0.5, null, 0, Duration.ofHours(1), Duration.ofHours(32));
        assertThat(half.plan(facts("crt_1", null), MaintenanceWindows.NONE, NOW).at()).isEqualTo(ISSUED.plus(45, ChronoUnit.DAYS));
        assertThat(half.shareReason()).isEqualTo("50% of the lifetime remains");

        RenewalPolicy fixed = new RenewalPolicy(0.3333, Duration.ofDays(20), 0, Duration.ofHours(1), Duration.ofHours(32));
        RenewalPlan plan = fixed.plan(facts("crt_1", null), MaintenanceWindows.NONE, NOW);
        assertThat(plan.at()).isEqualTo(EXPIRES.minus(20, ChronoUnit.DAYS));
        assertThat(plan.reasons()).containsExactly("20 d before expiry (" + EXPIRES.minus(20, ChronoUnit.DAYS) + ")");

        RenewalFacts sixDays = new RenewalFacts("crt_1", "01", ISSUED, ISSUED.plus(6, ChronoUnit.DAYS), null, true, false,
                null, 0, null, null);
        assertThat(fixed.plan(sixDays, MaintenanceWindows.NONE, NOW).at()).as("lives shorter than renew-before: the share")
                .isCloseTo(ISSUED.plus(4, ChronoUnit.DAYS), within(1, ChronoUnit.MINUTES));
    }

    @Test
    void jitterSpreadsCertificatesIssuedTogether_onlyEarlier_andTheSameCertificateAlwaysGetsTheSameMoment() {
        Instant base = policy.renewalTime(ISSUED, EXPIRES);
        List<Instant> moments = IntStream.range(0, 500)
                .mapToObj(i -> jittered.plan(facts("crt_" + i, null), MaintenanceWindows.NONE, NOW).at()).toList();

        Duration maxJitter = Duration.ofMillis(Math.round(Duration.ofDays(90).toMillis() * 0.05));
        assertThat(moments).allSatisfy(at -> assertThat(at).isAfterOrEqualTo(base.minus(maxJitter)).isBeforeOrEqualTo(base));
        assertThat(moments.stream().map(at -> at.truncatedTo(ChronoUnit.HOURS)).distinct().count())
                .as("500 certificates issued at once renew over about 108 hours, not in one").isGreaterThan(90);
        assertThat(jittered.plan(facts("crt_7", null), MaintenanceWindows.NONE, NOW.plus(5, ChronoUnit.DAYS)).at())
                .as("planning again gives the same moment").isEqualTo(moments.get(7));
        assertThat(jittered.plan(facts("crt_7", null), MaintenanceWindows.NONE, NOW).reasons()).hasSize(2).last().asString()
                .startsWith("moved ").endsWith(" earlier, so that certificates issued together do not renew together");
    }

    @Test
    void noRenewalStartsAtOrAfterTheEndOfTheTerm() {
        Instant renewal = policy.renewalTime(ISSUED, EXPIRES);

        assertThat(policy.plan(facts("crt_1", renewal.plusSeconds(1)), MaintenanceWindows.NONE, NOW).at()).isEqualTo(renewal);
        RenewalPlan last = policy.plan(facts("crt_1", renewal), MaintenanceWindows.NONE, NOW);
        assertThat(last.planned()).isFalse();
        assertThat(last.reasons()).containsExactly("the paid term ends at " + renewal + ", before the renewal would start ("
                + renewal + "): serial 01 is the last version of the term");
    }

    @Test
    void notHostedPausedOrNotIssuedMeansNoRenewal() {
        assertThat(policy.plan(new RenewalFacts("crt_1", "01", ISSUED, EXPIRES, null, false, false, null, 0, null, null),
                MaintenanceWindows.NONE, NOW).reasons()).containsExactly("ordered without hosting: certflow does not renew it");
        assertThat(policy.plan(new RenewalFacts("crt_1", "01", ISSUED, EXPIRES, null, true, true, null, 0, null, null),
                MaintenanceWindows.NONE, NOW).reasons()).containsExactly("hosting is paused: nothing is renewed until it is resumed");
        assertThat(policy.plan(new RenewalFacts("crt_1", null, null, null, null, true, false, null, 0, null, null),
                MaintenanceWindows.NONE, NOW).planned()).isFalse();
    }

    @Test
    void failedRenewalsBackOffFromOneHourDoublingToThirtyTwo() {
        assertThat(IntStream.rangeClosed(1, 8).mapToObj(policy::backoff).map(Duration::toHours))
                .containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 32L, 32L);
        assertThat(policy.backoff(1000)).isEqualTo(Duration.ofHours(32));

        Instant failedAt = ISSUED.plus(60, ChronoUnit.DAYS);
        RenewalFacts thirdFailure = new RenewalFacts("crt_1", "01", ISSUED, EXPIRES, null, true, false, null, 3,
                "the CA refused: rateLimited", failedAt);
        RenewalPlan retry = policy.plan(thirdFailure, MaintenanceWindows.NONE, failedAt);
        assertThat(retry.at()).isEqualTo(failedAt.plus(4, ChronoUnit.HOURS));
        assertThat(retry.reasons()).containsExactly("retry 3 after a failed renewal, 4 h after it: the CA refused: rateLimited");

        RenewalFacts pastTerm = new RenewalFacts("crt_1", "01", ISSUED, EXPIRES, failedAt.plus(3, ChronoUnit.HOURS), true,
                false, null, 3, "x", failedAt);
        assertThat(policy.plan(pastTerm, MaintenanceWindows.NONE, failedAt).planned()).as("a retry past the term").isFalse();
    }

    @Test
    void aRenewalPlannedInsideAMaintenanceWindowMovesToItsEnd_unlessTheCertificateWouldExpireFirst() {
        Instant base = policy.renewalTime(ISSUED, EXPIRES); // 2025-04-30T12:00:xx, a Wednesday
        MaintenanceWindows wednesdays = new MaintenanceWindows(List.of(new MaintenanceWindow(List.of(DayOfWeek.WEDNESDAY),
                LocalTime.of(8, 0), LocalTime.of(20, 0), "UTC")));

        RenewalPlan plan = policy.plan(facts("crt_1", null), wednesdays, NOW);

        assertThat(plan.at()).isEqualTo(Instant.parse("2025-04-30T20:00:00Z"));
        assertThat(plan.reasons()).containsExactly("one third of the lifetime remains (" + base + ")",
                "moved out of the maintenance window Wed 08:00–20:00 UTC to 2025-04-30T20:00:00Z");

        RenewalFacts endsInWindow = new RenewalFacts("crt_1", "01", Instant.parse("2025-04-30T09:00:00Z"),
                Instant.parse("2025-04-30T15:00:00Z"), null, true, false, null, 0, null, null);
        RenewalPlan kept = policy.plan(endsInWindow, wednesdays, NOW);
        assertThat(kept.at()).isBefore(Instant.parse("2025-04-30T15:00:00Z"));
        assertThat(kept.reasons()).last().asString().endsWith("kept: the certificate expires before the window ends");
    }

    @Test
    void windowsOverMidnightInTheirOwnTimeZoneAndChainedWindowsAreHonoured() {
        MaintenanceWindow overMidnight = new MaintenanceWindow(List.of(DayOfWeek.FRIDAY), LocalTime.of(22, 0),
                LocalTime.of(2, 0), "Europe/Berlin");
        MaintenanceWindow saturdayMorning = new MaintenanceWindow(List.of(DayOfWeek.SATURDAY), LocalTime.of(2, 0),
                LocalTime.of(6, 0), "Europe/Berlin");
        // Saturday 2025-05-03 00:30 in Berlin (UTC+2) is 2025-05-02T22:30Z
        Instant saturdayNight = Instant.parse("2025-05-02T22:30:00Z");

        assertThat(MaintenanceSchedule.blockedUntil(overMidnight, saturdayNight)).isEqualTo(Instant.parse("2025-05-03T00:00:00Z"));
        assertThat(MaintenanceSchedule.blockedUntil(overMidnight, Instant.parse("2025-05-03T00:00:00Z"))).isNull();
        assertThat(new MaintenanceWindows(List.of(overMidnight, saturdayMorning)).firstAllowed(saturdayNight).at())
                .isEqualTo(Instant.parse("2025-05-03T04:00:00Z"));
        assertThat(overMidnight.describe()).isEqualTo("Fri 22:00–02:00 Europe/Berlin");
    }

    @Test
    void aBadWindowNamesEachProblem() {
        assertThat(new MaintenanceWindow(List.of(), LocalTime.NOON, LocalTime.NOON, "Mars/Olympus").problems())
                .containsExactly("days: name at least one day (MONDAY … SUNDAY)",
                        "end: must differ from start (a window of a whole day is 00:00 to 23:59)",
                        "timeZone: 'Mars/Olympus' is not an IANA time zone");
        assertThat(new MaintenanceWindow(List.of(DayOfWeek.MONDAY), null, null, null).problems()).hasSize(3);
    }

    @Test
    void outOfRangeSettingsAreRefused() {
        assertThatThrownBy(() -> new RenewalPolicy(0, null, 0, Duration.ofHours(1), Duration.ofHours(32)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RenewalPolicy(1, null, 0, Duration.ofHours(1), Duration.ofHours(32)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RenewalPolicy(0.5, null, 0.5, Duration.ofHours(1), Duration.ofHours(32)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RenewalPolicy(0.3, Duration.ZERO, 0, Duration.ofHours(1), Duration.ofHours(32)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void renewalIdsAreDerivedFromWhatIsRenewed() {
        assertThat(RenewalIds.of("crt_1", "0a", false, 0)).isEqualTo(RenewalIds.of("crt_1", "0a", false, 0));
        assertThat(RenewalIds.of("crt_1", "0a", false, 0))
                .isEqualTo(UUID.nameUUIDFromBytes("crt_1/0a".getBytes(StandardCharsets.UTF_8)));
        assertThat(RenewalIds.of("crt_1", "0a", true, 0))
                .isEqualTo(UUID.nameUUIDFromBytes("crt_1/0a/manual".getBytes(StandardCharsets.UTF_8)));
        assertThat(RenewalIds.of("crt_1", "0a", false, 0)).isNotEqualTo(RenewalIds.of("crt_1", "0b", false, 0))
                .isNotEqualTo(RenewalIds.of("crt_2", "0a", false, 0))
                .isNotEqualTo(RenewalIds.of("crt_1", "0a", true, 0))
                .isNotEqualTo(RenewalIds.of("crt_1", "0a", false, 1));
    }

    // RFC 9773 ARI windows: a random moment inside, due at once when past, never at or after the paid term

    private static final Instant WINDOW_START = Instant.parse("2025-03-10T00:00:00Z");
    private static final Instant WINDOW_END = Instant.parse("2025-03-12T00:00:00Z");

    @Test
    void aRenewalInsideTheCasWindowIsAUniformMomentOfIt_theSameForTheSameCertificate() {
        List<Instant> moments = IntStream.range(0, 200)
                .mapToObj(i -> jittered.plan(windowed("crt_" + i, null), MaintenanceWindows.NONE, NOW).at()).toList();

        assertThat(moments).allSatisfy(at -> assertThat(at).isAfterOrEqualTo(WINDOW_START).isBefore(WINDOW_END));
        assertThat(moments.stream().distinct().count()).as("spread, not one fixed moment").isGreaterThan(190);
        assertThat(moments.stream().filter(at -> at.isBefore(Instant.parse("2025-03-11T00:00:00Z"))).count())
                .as("uniform: about half in the first day").isBetween(70L, 130L);
        assertThat(jittered.plan(windowed("crt_0", null), MaintenanceWindows.NONE, NOW.plusSeconds(600)).at())
                .isEqualTo(moments.get(0));
        assertThat(jittered.plan(windowed("crt_0", null), MaintenanceWindows.NONE, NOW).reasons()).containsExactly(
                "inside the renewal window the CA suggests (2025-03-10T00:00:00Z to 2025-03-12T00:00:00Z);"
                        + " the CA explains: https://ca.test/docs/ari");
    }

    @Test
    void aWindowIsCutAtTheEndOfThePaidTerm_andOneAfterItMeansNoRenewal() {
        Instant termEnds = Instant.parse("2025-03-10T06:00:00Z");

        assertThat(IntStream.range(0, 50).mapToObj(i -> policy.plan(windowed("crt_" + i, termEnds), MaintenanceWindows.NONE, NOW).at()))
                .allSatisfy(at -> assertThat(at).isAfterOrEqualTo(WINDOW_START).isBefore(termEnds));
        assertThat(policy.plan(windowed("crt_1", WINDOW_START), MaintenanceWindows.NONE, NOW).planned()).isFalse();
    }

    private static RenewalFacts facts(String certificateId, Instant termEndsAt) {
        return new RenewalFacts(certificateId, "01", ISSUED, EXPIRES, termEndsAt, true, false, null, 0, null, null);
    }

    private static RenewalFacts windowed(String certificateId, Instant termEndsAt) {
        return new RenewalFacts(certificateId, "01", ISSUED, EXPIRES, termEndsAt, true, false,
                new RenewalWindow("01", WINDOW_START, WINDOW_END, "https://ca.test/docs/ari", ISSUED), 0, null, null);
    }
}
