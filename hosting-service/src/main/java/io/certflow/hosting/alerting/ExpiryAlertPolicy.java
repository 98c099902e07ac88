package io.certflow.hosting.alerting;

import io.certflow.hosting.managing.CertificateStatus;
import io.certflow.hosting.managing.ExpiryAlert;
import io.certflow.hosting.managing.ExpiryAlertKind;

import java.time.Duration;
import java.time.Instant;

/**
 * When a managed certificate must be reported as at risk, as an ordered list of checks, each with a
 * reason a person can read (pure: no clock, no store):
 * <ol>
 *   <li>cancelled, not hosted, not issued yet, or no renewal planned for the live version (the paid term
 *       ends first): no alert — certflow does not promise a renewal there;</li>
 *   <li>expired: one last {@link ExpiryAlertKind#EXPIRED} per version;</li>
 *   <li>fewer than {@code warnBefore} left and the renewal is overdue: {@link ExpiryAlertKind#EXPIRING},
 *       at most once per {@code repeatEvery} (a daily reminder) until renewed;</li>
 *   <li>the renewal time plus {@code grace} passed and the version is still live (the renewal failed, is
 *       unanswered, or was never attempted because no scheduler ran): {@link ExpiryAlertKind#RENEWAL_OVERDUE},
 *       once per version.</li>
 * </ol>
 * A version on schedule (its renewal not yet overdue) is never reported, so short-lived certificates
 * whose whole life is shorter than {@code warnBefore} are quiet while they renew normally.
 */
public final class ExpiryAlertPolicy {

    private final Duration grace;
    private final Duration warnBefore;
    private final Duration repeatEvery;

    /**
     * @param grace       how long after its renewal time a version that was not replaced counts as overdue
     * @param warnBefore  how long before expiry the daily {@code EXPIRING} alerts start
     * @param repeatEvery the least time between two {@code EXPIRING} alerts of one version
     */
    public ExpiryAlertPolicy(Duration grace, Duration warnBefore, Duration repeatEvery) {
        if (grace.isNegative() || warnBefore.isNegative() || warnBefore.isZero() || repeatEvery.isNegative()
                || repeatEvery.isZero()) {
            throw new IllegalArgumentException("expiry alert grace must not be negative, warning period and repeat "
                    + "interval must be positive");
        }
        this.grace = grace;
        this.warnBefore = warnBefore;
        this.repeatEvery = repeatEvery;
    }

    /** The defaults: 1 h grace, alerts from 7 days before expiry, once a day. */
    public static ExpiryAlertPolicy defaults() {
        return new ExpiryAlertPolicy(Duration.ofHours(1), Duration.ofDays(7), Duration.ofDays(1));
    }

    /** What to raise for {@code c} at {@code now}, and when to look again. */
    public ExpiryDecision decide(ExpiryFacts c, Instant now) {
        if (c.status() == CertificateStatus.CANCELLED) {
            return ExpiryDecision.none("the order was cancelled", null);
        }
        if (!c.hosting()) {
            return ExpiryDecision.none("ordered without hosting: certflow does not renew it", null);
        }
        if (c.serialNumber() == null || c.notAfter() == null) {
            return ExpiryDecision.none("not issued yet", null);
        }
        if (c.renewalDueAt() == null) {
            return ExpiryDecision.none("no renewal planned for serial " + c.serialNumber()
                    + (c.termEndsAt() != null ? ": the paid term ends at " + c.termEndsAt() : ""), null);
        }
        ExpiryAlert last = sameSerial(c.lastAlert(), c.serialNumber());
        long daysLeft = Math.max(0, Duration.between(now, c.notAfter()).toDays());
        if (!now.isBefore(c.notAfter())) {
            if (last != null && last.kind() == ExpiryAlertKind.EXPIRED) {
                return ExpiryDecision.none("expiry of serial " + c.serialNumber() + " already reported", null);
            }
            return new ExpiryDecision(ExpiryAlertKind.EXPIRED, "serial " + c.serialNumber() + " expired at "
                    + c.notAfter() + "; " + renewalState(c), 0, null);
        }
        Instant overdueAt = c.renewalDueAt().plus(grace);
        boolean overdue = !now.isBefore(overdueAt);
        Instant expiringFrom = later(c.notAfter().minus(warnBefore), overdueAt);
        if (!now.isBefore(expiringFrom)) {
            if (last != null && last.kind() == ExpiryAlertKind.EXPIRING && now.isBefore(last.at().plus(repeatEvery))) {
                return ExpiryDecision.none("reminded at " + last.at() + " already",
                        earlier(last.at().plus(repeatEvery), c.notAfter()));
            }
            Instant next = earlier(now.plus(repeatEvery), c.notAfter());
            return new ExpiryDecision(ExpiryAlertKind.EXPIRING, "serial " + c.serialNumber() + " expires in "
                    + days(daysLeft) + " (at " + c.notAfter() + "); " + renewalState(c), daysLeft, next);
        }
        if (overdue) {
            if (last != null) {
                return ExpiryDecision.none("overdue renewal of serial " + c.serialNumber() + " already reported",
                        earlier(expiringFrom, c.notAfter()));
            }
            return new ExpiryDecision(ExpiryAlertKind.RENEWAL_OVERDUE, renewalState(c), daysLeft,
                    earlier(expiringFrom, c.notAfter()));
        }
        return ExpiryDecision.none("renewal of serial " + c.serialNumber() + " due at " + c.renewalDueAt()
                + ", not overdue", earlier(overdueAt, c.notAfter()));
    }

    /** Why the live version is still live, for people. */
    private static String renewalState(ExpiryFacts c) {
        String since = "renewal due since " + c.renewalDueAt();
        return switch (c.status()) {
            case RENEWAL_FAILED -> since + " has not succeeded: " + orUnknown(c.lastFailure())
                    + " (" + c.failedRenewals() + " failed " + (c.failedRenewals() == 1 ? "attempt" : "attempts")
                    + (c.nextRenewalAt() != null ? ", next at " + c.nextRenewalAt() : ", no further attempt in the paid term")
                    + ")";
            case RENEWING -> since + " has not succeeded: " + (c.lastFailure() != null ? c.lastFailure() + "; " : "")
                    + "no answer from issuance to the renewal started at " + c.renewalStartedAt();
            default -> since + " has not succeeded: no renewal was attempted (was the renewal scheduler down?)";
        };
    }

    private static ExpiryAlert sameSerial(ExpiryAlert alert, String serialNumber) {
        return alert != null && serialNumber.equals(alert.serialNumber()) ? alert : null;
    }

    private static String orUnknown(String failure) {
        return failure != null ? failure : "reason unknown";
    }

    private static String days(long days) {
        return days == 1 ? "1 day" : days + " days";
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant earlier(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
