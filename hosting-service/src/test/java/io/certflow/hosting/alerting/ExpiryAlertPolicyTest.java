package io.certflow.hosting.alerting;

import io.certflow.hosting.managing.CertificateStatus;
import io.certflow.hosting.managing.ExpiryAlert;
import io.certflow.hosting.managing.ExpiryAlertKind;
import io.certflow.hosting.managing.ExpiryState;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The expiry alert checks, in order, with a fixed clock. */
class ExpiryAlertPolicyTest {

    private final Clock clock = Clock.fixed(Instant.parse("2025-05-01T08:00:00Z"), ZoneOffset.UTC);
    private final Instant now = clock.instant();
    private final ExpiryAlertPolicy policy = ExpiryAlertPolicy.defaults();

    @Test
    void aVersionOnScheduleIsQuietAndLookedAtAgainWhenItsRenewalIsOverdue() {
        Instant dueAt = now.plus(10, ChronoUnit.DAYS);
        ExpiryDecision d = policy.decide(facts(CertificateStatus.HOSTED, now.plus(40, ChronoUnit.DAYS), dueAt, null), now);

        assertThat(d.alert()).isFalse();
        assertThat(d.nextCheckAt()).isEqualTo(dueAt.plus(1, ChronoUnit.HOURS));
    }

    @Test
    void withinTheGraceNothingIsRaised() {
        ExpiryDecision d = policy.decide(facts(CertificateStatus.HOSTED, now.plus(30, ChronoUnit.DAYS),
                now.minus(59, ChronoUnit.MINUTES), null), now);

        assertThat(d.alert()).isFalse();
        assertThat(d.nextCheckAt()).isEqualTo(now.plus(1, ChronoUnit.MINUTES));
    }

    @Test
    void aRenewalTimeThatPassedWithNoAttemptIsReportedOnce() {
        Instant dueAt = now.minus(2, ChronoUnit.HOURS);
        Instant notAfter = now.plus(30, ChronoUnit.DAYS);
        ExpiryDecision d = policy.decide(facts(CertificateStatus.HOSTED, notAfter, dueAt, null), now);

        assertThat(d.kind()).isEqualTo(ExpiryAlertKind.RENEWAL_OVERDUE);
        assertThat(d.reason()).isEqualTo("renewal due since " + dueAt
                + " has not succeeded: no renewal was attempted (was the renewal scheduler down?)");
        assertThat(d.daysLeft()).isEqualTo(30);
        assertThat(d.nextCheckAt()).isEqualTo(notAfter.minus(7, ChronoUnit.DAYS));

        ExpiryDecision again = policy.decide(facts(CertificateStatus.HOSTED, notAfter, dueAt,
                alert(ExpiryAlertKind.RENEWAL_OVERDUE, "01", now)), now.plus(1, ChronoUnit.HOURS));
        assertThat(again.alert()).isFalse();
        assertThat(again.nextCheckAt()).isEqualTo(notAfter.minus(7, ChronoUnit.DAYS));
    }

    @Test
    void aFailedRenewalIsReportedWithItsLastFailure() {
        Instant dueAt = now.minus(3, ChronoUnit.HOURS);
        ExpiryFacts failed = new ExpiryFacts(false, true, false, "01", null, now.plus(29, ChronoUnit.DAYS),
                null, dueAt, null, "the CA refused the order: rate limited", 2, now.plus(1, ChronoUnit.HOURS), null);

        ExpiryDecision d = policy.decide(failed, now);

        assertThat(d.kind()).isEqualTo(ExpiryAlertKind.RENEWAL_OVERDUE);
        assertThat(d.reason()).isEqualTo("renewal due since " + dueAt + " has not succeeded: the CA refused the order: "
                + "rate limited (2 failed attempts, next at " + now.plus(1, ChronoUnit.HOURS) + ")");
    }

    @Test
    void fewerThanSevenDaysLeftAlertsOnceADayUntilRenewed() {
        Instant notAfter = now.plus(3, ChronoUnit.DAYS).minus(1, ChronoUnit.MINUTES);
        Instant dueAt = now.minus(27, ChronoUnit.DAYS);
        ExpiryDecision first = policy.decide(facts(CertificateStatus.RENEWING, notAfter, dueAt,
                alert(ExpiryAlertKind.RENEWAL_OVERDUE, "01", now.minus(26, ChronoUnit.DAYS))), now);

        assertThat(first.kind()).isEqualTo(ExpiryAlertKind.EXPIRING);
        assertThat(first.daysLeft()).isEqualTo(2);
        assertThat(first.reason()).startsWith("serial 01 expires in 2 days (at " + notAfter + "); renewal due since "
                + dueAt + " has not succeeded: no answer from issuance");
        assertThat(first.nextCheckAt()).isEqualTo(now.plus(1, ChronoUnit.DAYS));

        ExpiryAlert sent = alert(ExpiryAlertKind.EXPIRING, "01", now);
        ExpiryDecision sameDay = policy.decide(facts(CertificateStatus.RENEWING, notAfter, dueAt, sent),
                now.plus(23, ChronoUnit.HOURS));
        assertThat(sameDay.alert()).isFalse();
        assertThat(sameDay.nextCheckAt()).isEqualTo(now.plus(1, ChronoUnit.DAYS));

        ExpiryDecision nextDay = policy.decide(facts(CertificateStatus.RENEWING, notAfter, dueAt, sent),
                now.plus(1, ChronoUnit.DAYS));
        assertThat(nextDay.kind()).isEqualTo(ExpiryAlertKind.EXPIRING);
        assertThat(nextDay.daysLeft()).isEqualTo(1);
    }

    @Test
    void anExpiredVersionIsReportedOnceMoreAndThenNeverAgain() {
        Instant notAfter = now.minus(1, ChronoUnit.MINUTES);
        ExpiryDecision d = policy.decide(facts(CertificateStatus.RENEWAL_FAILED, notAfter, now.minus(30, ChronoUnit.DAYS),
                alert(ExpiryAlertKind.EXPIRING, "01", now.minus(2, ChronoUnit.HOURS))), now);

        assertThat(d.kind()).isEqualTo(ExpiryAlertKind.EXPIRED);
        assertThat(d.daysLeft()).isZero();
        assertThat(d.reason()).startsWith("serial 01 expired at " + notAfter + "; renewal due since");
        assertThat(d.nextCheckAt()).isNull();

        assertThat(policy.decide(facts(CertificateStatus.RENEWAL_FAILED, notAfter, now.minus(30, ChronoUnit.DAYS),
                alert(ExpiryAlertKind.EXPIRED, "01", now)), now.plus(1, ChronoUnit.DAYS)).alert()).isFalse();
    }

    @Test
    void anAlertAboutAnEarlierSerialDoesNotSilenceTheLiveOne() {
        ExpiryDecision d = policy.decide(facts(CertificateStatus.HOSTED, now.plus(30, ChronoUnit.DAYS),
                now.minus(2, ChronoUnit.HOURS), alert(ExpiryAlertKind.EXPIRING, "00", now.minus(1, ChronoUnit.HOURS))), now);

        assertThat(d.kind()).isEqualTo(ExpiryAlertKind.RENEWAL_OVERDUE);
    }

    @Test
    void aShortLivedVersionOnScheduleIsNotReportedAlthoughItHasFewerThanSevenDaysLeft() {
        Instant notAfter = now.plus(5, ChronoUnit.DAYS);
        Instant dueAt = now.plus(1, ChronoUnit.DAYS);
        ExpiryDecision d = policy.decide(facts(CertificateStatus.HOSTED, notAfter, dueAt, null), now);

        assertThat(d.alert()).isFalse();
        assertThat(d.nextCheckAt()).isEqualTo(dueAt.plus(1, ChronoUnit.HOURS));
    }

    @Test
    void cancelledUnhostedUnissuedOrOutOfTermCertificatesAreNeverReported() {
        Instant past = now.minus(30, ChronoUnit.DAYS);
        Instant soon = now.plus(2, ChronoUnit.DAYS);
        assertThat(policy.decide(facts(CertificateStatus.CANCELLED, soon, past, null), now))
                .satisfies(d -> assertThat(d.alert()).isFalse())
                .satisfies(d -> assertThat(d.reason()).isEqualTo("the order was cancelled"))
                .satisfies(d -> assertThat(d.nextCheckAt()).isNull());
        assertThat(policy.decide(new ExpiryFacts(false, false, false, "01", null, soon, null, past, null, null, 0,
                null, null), now).alert()).isFalse();
        assertThat(policy.decide(new ExpiryFacts(false, true, false, null, null, null, null, null, null,
                null, 0, null, null), now).alert()).isFalse();
        ExpiryDecision outOfTerm = policy.decide(new ExpiryFacts(false, true, false, "01", null, soon,
                now.plus(1, ChronoUnit.DAYS), null, null, null, 0, null, null), now);
        assertThat(outOfTerm.alert()).isFalse();
        assertThat(outOfTerm.reason()).isEqualTo("no renewal planned for serial 01: the paid term ends at "
                + now.plus(1, ChronoUnit.DAYS));
    }


    @Test
    void aVersionWithoutAPromisedRenewalIsShownExpiringInItsLastWeekButNeverAlerted() {
        Instant notBefore = now.minus(80, ChronoUnit.DAYS);
        Instant notAfter = notBefore.plus(90, ChronoUnit.DAYS);
        ExpiryFacts paused = new ExpiryFacts(false, true, true, "01", notBefore, notAfter, null, null, null, null, 0,
                null, null);

        ExpiryDecision early = policy.decide(paused, now);
        assertThat(early.alert()).isFalse();
        assertThat(early.expiry()).isEqualTo(ExpiryState.VALID);
        assertThat(early.nextCheckAt()).isEqualTo(notAfter.minus(7, ChronoUnit.DAYS));
        assertThat(early.reason()).isEqualTo("hosting is paused: certflow does not renew it until it is resumed");

        ExpiryDecision lastWeek = policy.decide(paused, notAfter.minus(2, ChronoUnit.DAYS));
        assertThat(lastWeek.alert()).isFalse();
        assertThat(lastWeek.expiry()).isEqualTo(ExpiryState.EXPIRING);
        assertThat(lastWeek.nextCheckAt()).isEqualTo(notAfter);

        ExpiryDecision after = policy.decide(paused, notAfter);
        assertThat(after.alert()).isFalse();
        assertThat(after.expiry()).isEqualTo(ExpiryState.EXPIRED);
        assertThat(after.nextCheckAt()).isNull();

        ExpiryFacts sixDays = new ExpiryFacts(false, false, false, "01", now, now.plus(6, ChronoUnit.DAYS), null, null,
                null, null, 0, null, null);
        assertThat(policy.decide(sixDays, now).expiry()).as("a short life is expiring in its last third, not all along")
                .isEqualTo(ExpiryState.VALID);
        assertThat(policy.decide(sixDays, now.plus(4, ChronoUnit.DAYS).plusSeconds(1)).expiry()).isEqualTo(ExpiryState.EXPIRING);
    }

    @Test
    void alertIdsCollapseOnTheSameDayAndDifferOtherwise() {
        UUID a = ExpiryAlertIds.of("crt_1", "01", ExpiryAlertKind.EXPIRING, Instant.parse("2025-05-01T00:10:00Z"));
        UUID b = ExpiryAlertIds.of("crt_1", "01", ExpiryAlertKind.EXPIRING, Instant.parse("2025-05-01T23:50:00Z"));

        assertThat(a).isEqualTo(b);
        assertThat(ExpiryAlertIds.of("crt_1", "01", ExpiryAlertKind.EXPIRING, Instant.parse("2025-05-02T00:10:00Z")))
                .isNotEqualTo(a);
        assertThat(ExpiryAlertIds.of("crt_1", "02", ExpiryAlertKind.EXPIRING, Instant.parse("2025-05-01T00:10:00Z")))
                .isNotEqualTo(a);
        assertThat(ExpiryAlertIds.of("crt_1", "01", ExpiryAlertKind.EXPIRED, Instant.parse("2025-05-01T00:10:00Z")))
                .isNotEqualTo(a);
    }

    private static ExpiryFacts facts(CertificateStatus status, Instant notAfter, Instant renewalDueAt, ExpiryAlert last) {
        return new ExpiryFacts(status == CertificateStatus.CANCELLED, true, false, "01", null, notAfter, null, renewalDueAt,
                status == CertificateStatus.RENEWING ? renewalDueAt : null, null, 0, null, last);
    }

    private static ExpiryAlert alert(ExpiryAlertKind kind, String serial, Instant at) {
        return new ExpiryAlert(kind, serial, 0, "earlier", UUID.randomUUID().toString(), at);
    }
}
