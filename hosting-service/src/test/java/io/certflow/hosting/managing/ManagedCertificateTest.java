package io.certflow.hosting.managing;

import io.certflow.events.v1.CertificateIssued;
import io.certflow.events.v1.DomainVerificationLost;
import io.certflow.events.v1.CertificateRequested;
import io.certflow.events.v1.CertificateRevoked;
import io.certflow.events.v1.DeploymentCompleted;
import io.certflow.events.v1.IssuanceFailed;
import io.certflow.events.v1.OrderCancelled;
import io.certflow.events.v1.RenewalDue;
import io.certflow.events.v1.RenewalWindowChanged;
import io.certflow.hosting.renewal.RenewalIds;
import io.certflow.hosting.alerting.ExpiryAlertPolicy;
import io.certflow.hosting.maintenance.MaintenanceWindows;
import io.certflow.hosting.renewal.RenewalPlanner;
import io.certflow.hosting.renewal.RenewalPolicy;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ManagedCertificateTest {

    private static final String ID = "crt_test";
    private static final String ACCOUNT = "acc";

    private final Clock clock = Clock.fixed(Instant.parse("2025-05-01T08:00:00Z"), ZoneOffset.UTC);
    private final Instant now = clock.instant();
    private final RenewalPolicy policy = RenewalPolicy.defaults().withoutJitter();
    private final RenewalPlanner planner = new RenewalPlanner(policy, MaintenanceWindows.NONE);

    @Test
    void aRequestedCertificateWaitsForIssuance() {
        ManagedCertificate c = requested(now.plus(365, ChronoUnit.DAYS), true);

        assertThat(c.getStatus()).isEqualTo(CertificateStatus.PENDING_ISSUANCE);
        assertThat(c.getDomains()).containsExactly("example.com", "www.example.com");
        assertThat(c.getNextRenewalAt()).isNull();
        assertThat(c.pendingEvents()).isEmpty();
    }

    @Test
    void anIssuedCertificateIsHostedAndRenewedWhenAThirdOfItsLifetimeRemains() {
        ManagedCertificate c = requested(now.plus(365, ChronoUnit.DAYS), true);

        c.issued(issued("01", now, now.plus(90, ChronoUnit.DAYS)), planner, now);

        assertThat(c.getStatus()).isEqualTo(CertificateStatus.HOSTED);
        assertThat(c.getSerialNumber()).isEqualTo("01");
        assertThat(c.getNextRenewalAt()).isEqualTo(policy.renewalTime(now, now.plus(90, ChronoUnit.DAYS)));
        assertThat(c.getVersions()).extracting(CertificateVersion::serialNumber).containsExactly("01");
    }

    @Test
    void noRenewalIsScheduledWhenTheNextCertificateWouldStartAfterTheTerm() {
        ManagedCertificate c = requested(now.plus(30, ChronoUnit.DAYS), true);

        c.issued(issued("01", now, now.plus(90, ChronoUnit.DAYS)), planner, now);

        assertThat(c.getStatus()).isEqualTo(CertificateStatus.HOSTED);
        assertThat(c.getNextRenewalAt()).isNull();
    }

    @Test
    void withoutHostingNothingIsRenewed() {
        ManagedCertificate c = requested(now.plus(365, ChronoUnit.DAYS), false);

        c.issued(issued("01", now, now.plus(90, ChronoUnit.DAYS)), planner, now);

        assertThat(c.getNextRenewalAt()).isNull();
        assertThatThrownBy(() -> c.startRenewal(now, RenewalTrigger.MANUAL, "asked")).isInstanceOf(NotRenewableException.class)
                .hasMessageContaining("without hosting");
    }

    @Test
    void anIssuanceBeforeItsRequestIsKeptAndTheRequestCompletesIt() {
        ManagedCertificate c = ManagedCertificate.track(ID, ACCOUNT, now);
        c.issued(issued("01", now, now.plus(90, ChronoUnit.DAYS)), planner, now);
        assertThat(c.getStatus()).isEqualTo(CertificateStatus.HOSTED);
        assertThat(c.getNextRenewalAt()).isNotNull();

        c.requested(request(now.plus(20, ChronoUnit.DAYS), true), planner, now);

        assertThat(c.getStatus()).isEqualTo(CertificateStatus.HOSTED);
        assertThat(c.getOrderId()).isEqualTo("ord_1");
        assertThat(c.getNextRenewalAt()).as("the term now known ends before the renewal").isNull();
    }

    @Test
    void aScheduledRenewalRaisesRenewalDueWithAnIdDerivedFromTheSerial() {
        ManagedCertificate c = hosted("0abc");
        Instant dueAt = c.getNextRenewalAt();

        RenewalDue due = c.startRenewal(dueAt, RenewalTrigger.SCHEDULED, c.scheduledRenewalReason());

        assertThat(c.getStatus()).isEqualTo(CertificateStatus.RENEWING);
        assertThat(due.eventId()).isEqualTo(RenewalIds.of(ID, "0abc", false, 0));
        assertThat(due.currentSerialNumber()).isEqualTo("0abc");
        assertThat(due.dueAt()).isEqualTo(dueAt);
        assertThat(due.manual()).isFalse();
        assertThat(due.reason()).isEqualTo("one third of the lifetime remains (" + dueAt + ")");
        assertThat(c.pendingEvents()).singleElement().satisfies(m -> assertThat(m.event()).isEqualTo(due));
        assertThat(c.getPendingRenewalEventId()).isEqualTo(due.eventId().toString());
        assertThatThrownBy(() -> c.startRenewal(dueAt, RenewalTrigger.SCHEDULED, "again")).isInstanceOf(NotRenewableException.class);
    }

    @Test
    void aRevokedLiveVersionIsRenewedAtOnce() {
        ManagedCertificate c = hosted("0abc");

        RenewalDue due = c.revoked(revoked("0abc", "keyCompromise"), now);

        assertThat(c.getStatus()).isEqualTo(CertificateStatus.RENEWING);
        assertThat(due.eventId()).isEqualTo(RenewalIds.revoked(ID, "0abc"));
        assertThat(due.eventId()).isNotEqualTo(RenewalIds.of(ID, "0abc", false, 0)).isNotEqualTo(RenewalIds.of(ID, "0abc", true, 0));
        assertThat(due.currentSerialNumber()).isEqualTo("0abc");
        assertThat(due.dueAt()).isEqualTo(now);
        assertThat(due.manual()).isFalse();
        assertThat(due.reason()).isEqualTo("revoked: keyCompromise");
        assertThat(c.pendingEvents()).singleElement().satisfies(m -> assertThat(m.event()).isEqualTo(due));
        assertThat(c.getPendingRenewalEventId()).isEqualTo(due.eventId().toString());

        assertThat(c.revoked(revoked("0abc", "keyCompromise"), now)).as("already renewing").isNull();
        assertThat(c.pendingEvents()).hasSize(1);
    }

    @Test
    void aRevokedOlderVersionOrACancelledCertificateChangesNothing() {
        ManagedCertificate c = hosted("01");
        c.issued(issued("02", now, now.plus(90, ChronoUnit.DAYS)), planner, now);
        Instant next = c.getNextRenewalAt();

        assertThat(c.revoked(revoked("01", "superseded"), now)).isNull();
        assertThat(c.getStatus()).isEqualTo(CertificateStatus.HOSTED);
        assertThat(c.getNextRenewalAt()).isEqualTo(next);
        assertThat(c.pendingEvents()).isEmpty();

        c.cancelled(new OrderCancelled(UUID.randomUUID(), now, ACCOUNT, ID, "ord_1", "cancelled", false), now);
        assertThat(c.revoked(revoked("02", "cessationOfOperation"), now)).isNull();
        assertThat(c.getStatus()).isEqualTo(CertificateStatus.CANCELLED);
        assertThat(c.pendingEvents()).isEmpty();
    }

    @Test
    void aManualRenewalHasItsOwnId() {
        ManagedCertificate c = hosted("0abc");

        RenewalDue due = c.startRenewal(now, RenewalTrigger.MANUAL, "asked");

        assertThat(due.manual()).isTrue();
        assertThat(due.eventId()).isEqualTo(RenewalIds.of(ID, "0abc", true, 0));
    }

    @Test
    void aFailedRenewalIsRetriedAfterABackoffThatDoubles() {
        ManagedCertificate c = hosted("01");
        Instant t = now;
        for (int failure = 1; failure <= 7; failure++) {
            RenewalDue due = c.startRenewal(t, RenewalTrigger.SCHEDULED, c.scheduledRenewalReason());
            assertThat(due.eventId()).as("each retry is a new renewal").isEqualTo(RenewalIds.of(ID, "01", false, failure - 1));

            c.issuanceFailed(failed("rate limited " + failure), planner, t);

            assertThat(c.getStatus()).isEqualTo(CertificateStatus.RENEWAL_FAILED);
            assertThat(c.getLastFailure()).isEqualTo("rate limited " + failure);
            assertThat(c.getFailedRenewals()).isEqualTo(failure);
            Duration expected = Duration.ofHours(Math.min(32, 1L << (failure - 1)));
            assertThat(c.getNextRenewalAt()).isEqualTo(t.plus(expected));
            t = c.getNextRenewalAt();
        }
        assertThat(c.scheduledRenewalReason()).isEqualTo("retry 7 after a failed renewal, 1 d 8 h after it: rate limited 7");

        c.startRenewal(t, RenewalTrigger.SCHEDULED, "retry");
        c.issued(issued("02", t, t.plus(90, ChronoUnit.DAYS)), planner, t);

        assertThat(c.getStatus()).isEqualTo(CertificateStatus.HOSTED);
        assertThat(c.getFailedRenewals()).isZero();
        assertThat(c.getLastFailure()).isNull();
        assertThat(c.getSerialNumber()).isEqualTo("02");
        assertThat(c.getVersions()).extracting(CertificateVersion::serialNumber).containsExactly("01", "02");
        assertThat(c.getNextRenewalAt()).isEqualTo(policy.renewalTime(t, t.plus(90, ChronoUnit.DAYS)));
    }

    @Test
    void aFailureOutsideARenewalDoesNotScheduleAnything() {
        ManagedCertificate pending = requested(now.plus(365, ChronoUnit.DAYS), true);
        pending.issuanceFailed(failed("CAA forbids"), planner, now);
        assertThat(pending.getStatus()).isEqualTo(CertificateStatus.PENDING_ISSUANCE);
        assertThat(pending.getLastFailure()).isEqualTo("CAA forbids");
        assertThat(pending.getNextRenewalAt()).isNull();

        ManagedCertificate hosted = hosted("01");
        Instant next = hosted.getNextRenewalAt();
        hosted.issuanceFailed(failed("late failure of an old attempt"), planner, now);
        assertThat(hosted.getStatus()).isEqualTo(CertificateStatus.HOSTED);
        assertThat(hosted.getNextRenewalAt()).isEqualTo(next);
        assertThat(hosted.getLastFailure()).isNull();
    }

    @Test
    void aKnownSerialChangesNothing() {
        ManagedCertificate c = hosted("01");
        RenewalDue due = c.startRenewal(now, RenewalTrigger.SCHEDULED, "due");

        c.issued(issued("01", now, now.plus(90, ChronoUnit.DAYS)), planner, now);

        assertThat(c.getStatus()).isEqualTo(CertificateStatus.RENEWING);
        assertThat(c.getVersions()).hasSize(1);
        assertThat(c.getPendingRenewalEventId()).isEqualTo(due.eventId().toString());
    }

    @Test
    void aCancelledCertificateIsNeverRenewed() {
        ManagedCertificate c = hosted("01");

        c.cancelled(new OrderCancelled(UUID.randomUUID(), now, ACCOUNT, ID, "ord_1", "customer asked", false), now);
        c.issued(issued("02", now, now.plus(90, ChronoUnit.DAYS)), planner, now);

        assertThat(c.getStatus()).isEqualTo(CertificateStatus.CANCELLED);
        assertThat(c.getNextRenewalAt()).isNull();
        assertThatThrownBy(() -> c.startRenewal(now, RenewalTrigger.MANUAL, "asked")).isInstanceOf(NotRenewableException.class)
                .hasMessageContaining("cancelled");
    }

    @Test
    void aPendingCertificateCannotBeRenewed() {
        ManagedCertificate c = requested(now.plus(365, ChronoUnit.DAYS), true);

        assertThatThrownBy(() -> c.startRenewal(now, RenewalTrigger.MANUAL, "asked")).isInstanceOf(NotRenewableException.class)
                .hasMessageContaining("not been issued");
    }

    @Test
    void theLatestDeploymentIsShown() {
        ManagedCertificate c = hosted("01");
        Instant later = now.plusSeconds(60);

        c.deployed(deployment("job-2", later, true), now);
        c.deployed(deployment("job-1", now, false), now);

        assertThat(c.getLastDeployment().jobId()).isEqualTo("job-2");
        assertThat(c.getLastDeployment().succeeded()).isTrue();
    }


    // statuses people see, and the history behind them

    @Test
    void theStatusFollowsTheFacts_mostPressingFirst() {
        ExpiryAlertPolicy alerts = ExpiryAlertPolicy.defaults();
        ManagedCertificate c = hosted("01"); // 10 of 90 days gone
        assertThat(c.getStatus()).isEqualTo(CertificateStatus.HOSTED);

        Instant overdue = c.getRenewalDueAt().plus(2, ChronoUnit.HOURS);
        c.checkExpiry(alerts, overdue);
        assertThat(c.getStatus()).as("renewal overdue, nothing started").isEqualTo(CertificateStatus.EXPIRING);
        assertThat(c.getExpiry()).isEqualTo(ExpiryState.EXPIRING);

        c.startRenewal(overdue, RenewalTrigger.SCHEDULED, "due");
        assertThat(c.getStatus()).isEqualTo(CertificateStatus.RENEWING);
        c.issuanceFailed(failed("rateLimited"), planner, overdue);
        assertThat(c.getStatus()).as("failed and overdue: expiring says more").isEqualTo(CertificateStatus.EXPIRING);

        Instant expired = c.getNotAfter().plusSeconds(1);
        c.checkExpiry(alerts, expired);
        assertThat(c.getStatus()).isEqualTo(CertificateStatus.EXPIRED);

        c.issued(issued("02", expired, expired.plus(90, ChronoUnit.DAYS)), planner, expired);
        assertThat(c.getStatus()).as("a new version starts over").isEqualTo(CertificateStatus.HOSTED);
        assertThat(c.getExpiry()).isEqualTo(ExpiryState.VALID);

        ManagedCertificate notHosted = requested(now.plus(365, ChronoUnit.DAYS), false);
        notHosted.issued(issued("01", now, now.plus(90, ChronoUnit.DAYS)), planner, now);
        assertThat(notHosted.getStatus()).isEqualTo(CertificateStatus.ISSUED);
        notHosted.checkExpiry(alerts, now.plus(85, ChronoUnit.DAYS));
        assertThat(notHosted.getStatus()).as("no renewal promised: shown expiring in its last week, no alert")
                .isEqualTo(CertificateStatus.EXPIRING);
        assertThat(notHosted.pendingEvents()).isEmpty();

        ManagedCertificate refused = requested(now.plus(365, ChronoUnit.DAYS), true);
        refused.issuanceFailed(new IssuanceFailed(UUID.randomUUID(), now, ACCOUNT, ID, "att-1",
                "CAA of example.com forbids the CA", "urn:certflow:issuance:caa-forbidden", false), planner, now);
        assertThat(refused.getStatus()).isEqualTo(CertificateStatus.ISSUANCE_FAILED);
        assertThat(refused.getLastFailure()).contains("CAA");
    }

    @Test
    void pausingStopsRenewalsAndAlerts_resumingPlansAgain() {
        ManagedCertificate c = hosted("01");
        Instant planned = c.getNextRenewalAt();

        c.pause("moving to another CA", now);

        assertThat(c.getStatus()).isEqualTo(CertificateStatus.PAUSED);
        assertThat(c.getNextRenewalAt()).isNull();
        assertThat(c.getRenewalPlan()).containsExactly("hosting is paused: nothing is renewed until it is resumed");
        assertThat(c.revoked(revoked("01", "keyCompromise"), now)).as("the owner took over").isNull();
        assertThat(c.checkExpiry(ExpiryAlertPolicy.defaults(), planned.plus(3, ChronoUnit.HOURS))).as("no promise, no alert")
                .isNull();
        RenewalDue manual = c.startRenewal(now, RenewalTrigger.MANUAL, "asked");
        assertThat(manual.manual()).as("a person may still renew by hand").isTrue();
        c.issued(issued("02", now, now.plus(90, ChronoUnit.DAYS)), planner, now);
        assertThat(c.getStatus()).isEqualTo(CertificateStatus.PAUSED);
        assertThat(c.getNextRenewalAt()).isNull();

        c.resume(planner, now);

        assertThat(c.getStatus()).isEqualTo(CertificateStatus.HOSTED);
        assertThat(c.getNextRenewalAt()).isEqualTo(policy.renewalTime(now, now.plus(90, ChronoUnit.DAYS)));
        assertThat(c.getPause()).isNull();

        c.cancelled(new OrderCancelled(UUID.randomUUID(), now, ACCOUNT, ID, "ord_1", "asked", false), now);
        assertThatThrownBy(() -> c.pause(null, now)).isInstanceOf(NotRenewableException.class).hasMessageContaining("cancelled");
        assertThatThrownBy(() -> c.resume(planner, now)).isInstanceOf(NotRenewableException.class);
    }

    @Test
    void everyAttemptIsKeptWithHowItEnded() {
        ManagedCertificate c = hosted("01");
        Instant t = c.getNextRenewalAt();

        RenewalDue first = c.startRenewal(t, RenewalTrigger.SCHEDULED, "one third of the lifetime remains");
        c.issuanceFailed(failed("rateLimited"), planner, t.plusSeconds(60));
        Instant retryAt = c.getNextRenewalAt();
        RenewalDue second = c.startRenewal(retryAt, RenewalTrigger.SCHEDULED, c.scheduledRenewalReason());
        assertThat(c.renewalTimedOut(Duration.ofHours(24), planner, retryAt.plus(25, ChronoUnit.HOURS))).isTrue();
        RenewalDue third = c.startRenewal(c.getNextRenewalAt(), RenewalTrigger.MANUAL, "renewal requested through the API");
        c.issued(issued("02", t, t.plus(90, ChronoUnit.DAYS)), planner, t.plus(3, ChronoUnit.DAYS));

        assertThat(c.getAttempts()).extracting(RenewalAttempt::renewalEventId, RenewalAttempt::trigger, RenewalAttempt::outcome)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(first.eventId().toString(), RenewalTrigger.SCHEDULED, RenewalAttempt.Outcome.FAILED),
                        org.assertj.core.groups.Tuple.tuple(second.eventId().toString(), RenewalTrigger.SCHEDULED, RenewalAttempt.Outcome.TIMED_OUT),
                        org.assertj.core.groups.Tuple.tuple(third.eventId().toString(), RenewalTrigger.MANUAL, RenewalAttempt.Outcome.ISSUED));
        assertThat(c.getAttempts().get(0).failure()).isEqualTo("rateLimited");
        assertThat(c.getAttempts().get(2).newSerial()).isEqualTo("02");
        assertThat(c.getAttemptCount()).isEqualTo(3);

        for (int i = 0; i < ManagedCertificate.ATTEMPTS_KEPT + 5; i++) {
            c.startRenewal(now, RenewalTrigger.MANUAL, "again");
            c.issuanceFailed(failed("x"), planner, now);
        }
        assertThat(c.getAttempts()).hasSize(ManagedCertificate.ATTEMPTS_KEPT);
        assertThat(c.getAttemptCount()).isEqualTo(3 + ManagedCertificate.ATTEMPTS_KEPT + 5);
    }

    @Test
    void anOlderIssuanceArrivingAfterANewerOneIsHistoryOnly() {
        ManagedCertificate c = requested(now.plus(365, ChronoUnit.DAYS), true);
        c.issued(issued("02", now, now.plus(90, ChronoUnit.DAYS)), planner, now);
        Instant planned = c.getNextRenewalAt();

        c.issued(issued("01", now.minus(30, ChronoUnit.DAYS), now.plus(60, ChronoUnit.DAYS)), planner, now);

        assertThat(c.getSerialNumber()).isEqualTo("02");
        assertThat(c.getNextRenewalAt()).isEqualTo(planned);
        assertThat(c.getStatus()).isEqualTo(CertificateStatus.HOSTED);
        assertThat(c.getVersions()).extracting(CertificateVersion::serialNumber).containsExactly("02", "01");
    }

    @Test
    void deploymentsAreKeptInTheOrderTheyFinished() {
        ManagedCertificate c = hosted("01");
        c.deployed(deployment("job-2", now.plusSeconds(60), true), now);
        c.deployed(deployment("job-1", now, false), now);
        c.deployed(deployment("job-2", now.plusSeconds(60), true), now);

        assertThat(c.getDeployments()).extracting(DeploymentOutcome::jobId).containsExactly("job-1", "job-2");
        assertThat(c.getLastDeployment().jobId()).isEqualTo("job-2");
    }

    private ManagedCertificate requested(Instant termEndsAt, boolean hosting) {
        ManagedCertificate c = ManagedCertificate.track(ID, ACCOUNT, now);
        c.requested(request(termEndsAt, hosting), planner, now);
        return c;
    }

    private ManagedCertificate hosted(String serial) {
        ManagedCertificate c = requested(now.plus(3 * 365, ChronoUnit.DAYS), true);
        c.issued(issued(serial, now.minus(10, ChronoUnit.DAYS), now.plus(80, ChronoUnit.DAYS)), planner, now);
        return c;
    }

    // RFC 9773 ARI windows

    private final RenewalPlanner seeded = planner;

    @Test
    void withTheCasWindowTheRenewalIsInsideIt_andTheReasonSaysSo() {
        ManagedCertificate c = requested(now.plus(365, ChronoUnit.DAYS), true);
        Instant start = now.plus(60, ChronoUnit.DAYS);

        c.issued(issuedWithWindow("01", start, start.plus(2, ChronoUnit.DAYS)), seeded, now);

        assertThat(c.getNextRenewalAt()).isAfterOrEqualTo(start).isBefore(start.plus(2, ChronoUnit.DAYS));
        assertThat(c.getRenewalWindow().serialNumber()).isEqualTo("01");
        assertThat(c.scheduledRenewalReason()).startsWith("inside the renewal window the CA suggests")
                .contains("https://ca.test/docs/ari");
        RenewalDue due = c.startRenewal(c.getNextRenewalAt(), RenewalTrigger.SCHEDULED, c.scheduledRenewalReason());
        assertThat(due.reason()).contains("renewal window the CA suggests");
    }

    @Test
    void aWindowTheCaMovesEarlierMovesTheRenewalEarlier_intoThePastMeansNow() {
        ManagedCertificate c = requested(now.plus(365, ChronoUnit.DAYS), true);
        Instant start = now.plus(60, ChronoUnit.DAYS);
        c.issued(issuedWithWindow("01", start, start.plus(2, ChronoUnit.DAYS)), seeded, now);

        Instant incident = now.plus(2, ChronoUnit.HOURS);
        assertThat(c.renewalWindowChanged(windowChanged("01", incident, incident.plus(4, ChronoUnit.HOURS), now), seeded, now))
                .isTrue();
        assertThat(c.getNextRenewalAt()).isAfterOrEqualTo(incident).isBefore(incident.plus(4, ChronoUnit.HOURS));
        assertThat(c.getRenewalDueAt()).isEqualTo(c.getNextRenewalAt());

        Instant later = now.plus(1, ChronoUnit.HOURS);
        c.renewalWindowChanged(windowChanged("01", now.minus(2, ChronoUnit.DAYS), now.minus(1, ChronoUnit.DAYS), later),
                seeded, later);
        assertThat(c.getNextRenewalAt()).as("the window ended: a moment of it, past, so due at once")
                .isAfterOrEqualTo(now.minus(2, ChronoUnit.DAYS)).isBefore(now.minus(1, ChronoUnit.DAYS));
    }

    @Test
    void anOlderWindowReportOrOneOfAnOlderVersionChangesNothing() {
        ManagedCertificate c = requested(now.plus(365, ChronoUnit.DAYS), true);
        Instant start = now.plus(60, ChronoUnit.DAYS);
        c.issued(issuedWithWindow("01", start, start.plus(2, ChronoUnit.DAYS)), seeded, now);
        c.renewalWindowChanged(windowChanged("01", start.plus(1, ChronoUnit.DAYS), start.plus(3, ChronoUnit.DAYS),
                now.plusSeconds(60)), seeded, now);
        Instant planned = c.getNextRenewalAt();

        assertThat(c.renewalWindowChanged(windowChanged("01", now, now.plusSeconds(60), now.plusSeconds(30)), seeded, now))
                .as("read before the window already known").isFalse();
        c.issued(issued("02", now, now.plus(90, ChronoUnit.DAYS)), seeded, now);
        Instant afterRenewal = c.getNextRenewalAt();
        assertThat(c.renewalWindowChanged(windowChanged("01", now, now.plusSeconds(60), now.plusSeconds(90)), seeded, now))
                .as("a window of the replaced version").isFalse();

        assertThat(planned).isAfterOrEqualTo(start.plus(1, ChronoUnit.DAYS));
        assertThat(c.getRenewalWindow()).as("version 02 came without a window").isNull();
        assertThat(afterRenewal).as("share of lifetime without a window")
                .isEqualTo(policy.renewalTime(now, now.plus(90, ChronoUnit.DAYS)));
        assertThat(c.getNextRenewalAt()).isEqualTo(afterRenewal);
    }

    @Test
    void aWindowReportedBeforeItsIssuanceIsKept() {
        ManagedCertificate c = requested(now.plus(365, ChronoUnit.DAYS), true);
        Instant start = now.plus(10, ChronoUnit.DAYS);
        c.renewalWindowChanged(windowChanged("01", start, start.plus(1, ChronoUnit.DAYS), now.plusSeconds(5)), seeded, now);

        c.issued(issuedWithWindow("01", now.plus(60, ChronoUnit.DAYS), now.plus(62, ChronoUnit.DAYS)), seeded, now);

        assertThat(c.getNextRenewalAt()).isAfterOrEqualTo(start).isBefore(start.plus(1, ChronoUnit.DAYS));
    }

    @Test
    void theWindowNeverTakesTheRenewalPastThePaidTerm() {
        ManagedCertificate c = requested(now.plus(61, ChronoUnit.DAYS), true);
        Instant start = now.plus(60, ChronoUnit.DAYS);

        c.issued(issuedWithWindow("01", start, start.plus(5, ChronoUnit.DAYS)), seeded, now);

        assertThat(c.getNextRenewalAt()).isAfterOrEqualTo(start).isBefore(now.plus(61, ChronoUnit.DAYS));
    }

    private CertificateIssued issuedWithWindow(String serial, Instant start, Instant end) {
        return new CertificateIssued(UUID.randomUUID(), now, ACCOUNT, ID, "att-" + serial, serial, "ff" + serial,
                now, now.plus(90, ChronoUnit.DAYS), List.of("example.com", "www.example.com"), "CN=Test CA", "PEM", null,
                start, end, "https://ca.test/docs/ari");
    }

    private RenewalWindowChanged windowChanged(String serial, Instant start, Instant end, Instant fetchedAt) {
        return new RenewalWindowChanged(UUID.randomUUID(), fetchedAt, ACCOUNT, ID, serial, start, end,
                "https://ca.test/incident", fetchedAt);
    }

    private CertificateRequested request(Instant termEndsAt, boolean hosting) {
        return new CertificateRequested(UUID.randomUUID(), now, ACCOUNT, ID, "ord_1",
                List.of("example.com", "www.example.com"), "dv-single", 1, termEndsAt, hosting, null, null);
    }

    @Test
    void aLostDomainIsShownUntilAnIssuanceAfterItProvesControlAgain() {
        ManagedCertificate c = requested(now.plus(365, ChronoUnit.DAYS), true);
        c.issued(issued("01", now, now.plus(90, ChronoUnit.DAYS)), planner, now);
        Instant checked = now.plus(30, ChronoUnit.DAYS);

        c.verificationLost(lost("www.example.com", "NXDOMAIN", checked.minusSeconds(60)), checked);
        c.verificationLost(lost("www.example.com", "WRONG_TARGET", checked), checked);
        assertThat(c.getVerificationWarnings()).singleElement().satisfies(w -> {
            assertThat(w.result()).as("the latest finding per domain").isEqualTo("WRONG_TARGET");
            assertThat(w.reason()).contains("www.example.com");
        });

        c.issued(issuedAt("00", now.minus(1, ChronoUnit.DAYS)), planner, checked);
        assertThat(c.getVerificationWarnings()).as("an older issuance arriving late proves nothing").hasSize(1);

        c.issued(issuedAt("02", checked.plusSeconds(3600)), planner, checked.plusSeconds(3600));
        assertThat(c.getVerificationWarnings()).isEmpty();
    }

    private DomainVerificationLost lost(String domain, String result, Instant checkedAt) {
        return new DomainVerificationLost(UUID.randomUUID(), checkedAt, ACCOUNT, ID, domain, "CNAME_DELEGATION", result,
                "_acme-challenge." + domain + ". no longer points to certflow", checkedAt);
    }

    private CertificateIssued issuedAt(String serial, Instant at) {
        return new CertificateIssued(UUID.randomUUID(), at, ACCOUNT, ID, "att-" + serial, serial, "ff" + serial,
                at, at.plus(90, ChronoUnit.DAYS), List.of("example.com", "www.example.com"), "CN=Test CA", "PEM", null);
    }

    private CertificateIssued issued(String serial, Instant notBefore, Instant notAfter) {
        return new CertificateIssued(UUID.randomUUID(), now, ACCOUNT, ID, "att-" + serial, serial, "ff" + serial,
                notBefore, notAfter, List.of("example.com", "www.example.com"), "CN=Test CA", "PEM", null);
    }

    private CertificateRevoked revoked(String serial, String reason) {
        return new CertificateRevoked(UUID.randomUUID(), now, ACCOUNT, ID, serial, reason, now);
    }

    private IssuanceFailed failed(String reason) {
        return new IssuanceFailed(UUID.randomUUID(), now, ACCOUNT, ID, "att-x", reason, null, true);
    }

    private DeploymentCompleted deployment(String jobId, Instant at, boolean succeeded) {
        return new DeploymentCompleted(UUID.randomUUID(), at, ACCOUNT, ID, jobId, "task-1", "01", "SUBMIT",
                succeeded, List.of());
    }
}
