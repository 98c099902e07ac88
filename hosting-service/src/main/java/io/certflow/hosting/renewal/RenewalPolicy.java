package io.certflow.hosting.renewal;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Random;

/**
 * When a certificate is due, as plain arithmetic (no clock of its own, so it is tested with fixed
 * instants and a seeded random): at a random moment inside the renewal window the CA suggests (RFC 9773
 * ARI) when it suggests one, else when a share of its lifetime remains; never start a renewal at or after
 * the end of the paid term, and after a failed renewal wait 1 h, then 2 h, 4 h … up to 32 h.
 */
public final class RenewalPolicy {

    private static final double ONE_THIRD = 1.0 / 3.0;

    private final double remainingShare;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Random random;

    /**
     * @param remainingShare renew when this share of the lifetime remains
     * @param initialBackoff wait after the first failure
     * @param maxBackoff     longest wait
     */
    public RenewalPolicy(double remainingShare, Duration initialBackoff, Duration maxBackoff) {
        this(remainingShare, initialBackoff, maxBackoff, new Random());
    }

    /**
     * @param random picks the moment inside a CA's renewal window (seeded in tests)
     */
    public RenewalPolicy(double remainingShare, Duration initialBackoff, Duration maxBackoff, Random random) {
        this.random = random;
        if (!(remainingShare > 0 && remainingShare < 1)) {
            throw new IllegalArgumentException("remaining share must be between 0 and 1");
        }
        this.remainingShare = remainingShare;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
    }

    /** The defaults: a third of the lifetime, 1 h doubling to 32 h. */
    public static RenewalPolicy defaults() {
        return new RenewalPolicy(0.3333, Duration.ofHours(1), Duration.ofHours(32));
    }

    /** When the share of the lifetime of a certificate valid from {@code notBefore} to {@code notAfter} remains. */
    public Instant renewalTime(Instant notBefore, Instant notAfter) {
        long lifetimeMillis = Math.max(0, Duration.between(notBefore, notAfter).toMillis());
        return notAfter.minusMillis(Math.round(lifetimeMillis * remainingShare));
    }

    /**
     * The next renewal of a certificate, or null when there is none because the renewed certificate
     * would only start at or after the end of the paid term.
     *
     * @param termEndsAt end of the paid term, or null if unknown (no limit)
     */
    public Instant nextRenewalAt(Instant notBefore, Instant notAfter, Instant termEndsAt) {
        return withinTerm(renewalTime(notBefore, notAfter), termEndsAt);
    }

    /**
     * The next renewal inside the CA's renewal window (RFC 9773 §4.2): a uniformly random moment from the
     * window's start (or now, when it started already) to its end, so that the CA's certificates are not all
     * renewed at once; now when the window ended already. Never at or after the end of the paid term: the
     * window is cut there, and null is returned when nothing of it is left.
     *
     * @param termEndsAt end of the paid term, or null if unknown (no limit)
     */
    public Instant nextRenewalInWindow(Instant windowStart, Instant windowEnd, Instant termEndsAt, Instant now) {
        Instant from = windowStart.isAfter(now) ? windowStart : now;
        Instant to = termEndsAt != null && termEndsAt.isBefore(windowEnd) ? termEndsAt : windowEnd;
        if (!to.isAfter(from)) {
            return withinTerm(from, termEndsAt); // the window ended: now; or it starts after the term: none
        }
        long spanMillis = Duration.between(from, to).toMillis();
        return from.plusMillis(spanMillis <= 0 ? 0 : random.nextLong(spanMillis));
    }

    /** Why a renewal planned inside the CA's window is due, for people. */
    public String windowReason(Instant windowStart, Instant windowEnd, String explanationUrl) {
        return "inside the renewal window the CA suggests (" + windowStart + " to " + windowEnd + ")"
                + (explanationUrl == null ? "" : "; the CA explains: " + explanationUrl);
    }

    /** The wait after {@code failures} consecutive failed renewals (1 or more). */
    public Duration backoff(int failures) {
        Duration wait = initialBackoff;
        for (int i = 1; i < failures && wait.compareTo(maxBackoff) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }

    /**
     * When to try again after {@code failures} consecutive failed renewals, or null when that would be at
     * or after the end of the paid term.
     */
    public Instant retryAt(Instant now, int failures, Instant termEndsAt) {
        return withinTerm(now.plus(backoff(failures)), termEndsAt);
    }

    /** Why a scheduled renewal is due, for people. */
    public String dueReason() {
        String share = Math.abs(remainingShare - ONE_THIRD) < 0.001 ? "one third"
                : String.format(Locale.ROOT, "%.1f%%", remainingShare * 100).replace(".0%", "%");
        return share + " of the lifetime remains";
    }

    private static Instant withinTerm(Instant at, Instant termEndsAt) {
        return termEndsAt != null && !at.isBefore(termEndsAt) ? null : at;
    }
}
