package io.certflow.hosting.alerting;

import io.certflow.hosting.managing.ExpiryAlert;
import io.certflow.hosting.managing.ExpiryAlertKind;
import io.certflow.hosting.managing.ExpiryState;

import java.time.Duration;
import java.time.Instant;

/**
 * When a managed certificate must be reported as at risk, as an ordered list of checks, each with a
 * reason a person can read (pure: no clock, no store):
 * <ol>
 *   <li>cancelled, not issued yet, not hosted, paused, or no renewal planned for the live version (the paid
 *       term ends first): no alert — certflow does not promise a renewal there; the version is still shown
 *       as {@code EXPIRING} in its last {@code warnBefore} and {@code EXPIRED} after;</li>
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

    /** What to raise for {@code c} at {@code now}, how close it is to its end, and when to look again. */
    public ExpiryDecision decide(ExpiryFacts c, Instant now) {
        if (c.cancelled()) {
            return ExpiryDecision.none("the order was cancelled", ExpiryState.VALID, null);
        }
        if (c.serialNumber() == null || c.notAfter() == null) {
            return ExpiryDecision.none("not issued yet", ExpiryState.VALID, null);
        }
        if (!c.renewalPromised()) {
            return unpromised(c, now);
        }
        ExpiryAlert last = sameSerial(c.lastAlert(), c.serialNumber());
        long daysLeft = Math.max(0, Duration.between(now, c.notAfter()).toDays());
        if (!now.isBefore(c.notAfter())) {
            if (last != null && last.kind() == ExpiryAlertKind.EXPIRED) {
                return ExpiryDecision.none("expiry of serial " + c.serialNumber() + " already reported",
                        ExpiryState.EXPIRED, null);
            }
            return new ExpiryDecision(ExpiryAlertKind.EXPIRED, "serial " + c.serialNumber() + " expired at "
                    + c.notAfter() + "; " + renewalState(c), 0, ExpiryState.EXPIRED, null);
        }
        Instant overdueAt = c.renewalDueAt().plus(grace);
        boolean overdue = !now.isBefore(overdueAt);
        ExpiryState state = overdue ? ExpiryState.EXPIRING : ExpiryState.VALID;
        Instant expiringFrom = later(c.notAfter().minus(warnBefore), overdueAt);
        if (!now.isBefore(expiringFrom)) {
            if (last != null && last.kind() == ExpiryAlertKind.EXPIRING && now.isBefore(last.at().plus(repeatEvery))) {
                return ExpiryDecision.none("reminded at " + last.at() + " already", state,
                        earlier(last.at().plus(repeatEvery), c.notAfter()));
            }
            Instant next = earlier(now.plus(repeatEvery), c.notAfter());
            return new ExpiryDecision(ExpiryAlertKind.EXPIRING, "serial " + c.serialNumber() + " expires in "
                    + days(daysLeft) + " (at " + c.notAfter() + "); " + renewalState(c), daysLeft, state, next);
        }
        if (overdue) {
            if (last != null) {
                return ExpiryDecision.none("overdue renewal of serial " + c.serialNumber() + " already reported",
                        state, earlier(expiringFrom, c.notAfter()));
            }
            return new ExpiryDecision(ExpiryAlertKind.RENEWAL_OVERDUE, renewalState(c), daysLeft, state,
                    earlier(expiringFrom, c.notAfter()));
        }
        return ExpiryDecision.none("renewal of serial " + c.serialNumber() + " due at " + c.renewalDueAt()
                + ", not overdue", state, earlier(overdueAt, c.notAfter()));
    }

    /**
     * A version certflow does not promise to renew (not hosted, paused, the paid term's last): no alert, but
     * shown as expiring in its last {@code warnBefore} (or last third of its life, when shorter) and as expired after.
     */
    private ExpiryDecision unpromised(ExpiryFacts c, Instant now) {
        String why = !c.hosting() ? "ordered without hosting: certflow does not renew it"
                : c.paused() ? "hosting is paused: certflow does not renew it until it is resumed"
                : "no renewal planned for serial " + c.serialNumber()
                        + (c.termEndsAt() != null ? ": the paid term ends at " + c.termEndsAt() : "");
        if (!now.isBefore(c.notAfter())) {
            return ExpiryDecision.none(why, ExpiryState.EXPIRED, null);
        }
        Duration lifetime = c.notBefore() == null ? warnBefore : Duration.between(c.notBefore(), c.notAfter());
        Duration third = lifetime.dividedBy(3);
        Instant expiringFrom = c.notAfter().minus(third.compareTo(warnBefore) < 0 ? third : warnBefore);
        return now.isBefore(expiringFrom) ? ExpiryDecision.none(why, ExpiryState.VALID, expiringFrom)
                : ExpiryDecision.none(why, ExpiryState.EXPIRING, c.notAfter());
    }

    /** Why the live version is still live, for people. */
    private static String renewalState(ExpiryFacts c) {
        String since = "renewal due since " + c.renewalDueAt();
        if (c.renewalStartedAt() != null) {
            return since + " has not succeeded: " + (c.lastFailure() != null ? c.lastFailure() + "; " : "")
                    + "no answer from issuance to the renewal started at " + c.renewalStartedAt();
        }
        if (c.failedRenewals() > 0) {
            return since + " has not succeeded: " + orUnknown(c.lastFailure())
                    + " (" + c.failedRenewals() + " failed " + (c.failedRenewals() == 1 ? "attempt" : "attempts")
                    + (c.nextRenewalAt() != null ? ", next at " + c.nextRenewalAt() : ", no further attempt in the paid term")
                    + ")";
        }
        return since + " has not succeeded: no renewal was attempted (was the renewal scheduler down?)";
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
