package io.certflow.platform.polling;

import java.time.Duration;

/**
 * Spares a scheduled poll of the store while nothing can be due. A poller asks {@link #shouldPoll()} before each
 * poll; after a poll that found nothing to do it calls {@link #quietFor(Duration, long)} with how long nothing will
 * be due, and its polls are skipped for that long (real time), at most {@code maxQuiet}. Whatever this process saves
 * that may be due (an entity save callback calls {@link #signal()}) ends the quiet at once, so work made here waits
 * for no interval; work made by another instance waits at most {@code maxQuiet}, which is where it is still polled
 * for.
 *
 * <p>A signal that arrives while a poll runs wins over the quiet that poll asks for afterwards: the poller takes a
 * {@link #mark()} before it reads the store, and a quiet asked for with an older mark is ignored.
 *
 * <p>Why: each poll is a query, and a platform is idle most of the time. Polling every 100 ms for work that is
 * due in an hour cost issuance-service 5 % of a core on an idle platform (docs/benchmarks.md).
 */
public final class PollGate {

    private final Duration maxQuiet;
    private long signals;
    private boolean quiet;
    private long quietUntil;

    /** @param maxQuiet the longest a poller skips polls (work saved by other instances waits at most this) */
    public PollGate(Duration maxQuiet) {
        if (maxQuiet.isNegative()) {
            throw new IllegalArgumentException("maxQuiet must not be negative: " + maxQuiet);
        }
        this.maxQuiet = maxQuiet;
    }

    /** Whether to poll now: not while a quiet asked for lasts (and no signal ended it). */
    public synchronized boolean shouldPoll() {
        if (quiet && System.nanoTime() - quietUntil < 0) {
            return false;
        }
        quiet = false;
        return true;
    }

    /** Taken before a poll reads the store; hand it to {@link #quietFor(Duration, long)}. */
    public synchronized long mark() {
        return signals;
    }

    /** Something that may be due was saved by this process: poll at the next chance. */
    public synchronized void signal() {
        signals++;
        quiet = false;
    }

    /**
     * The poll that took {@code mark} found nothing to do, and nothing is due for {@code nothingDueFor}: skip polls
     * for that long (at most {@code maxQuiet}), unless something was signalled since the mark.
     */
    public synchronized void quietFor(Duration nothingDueFor, long mark) {
        if (mark != signals || nothingDueFor.isNegative() || nothingDueFor.isZero()) {
            return;
        }
        long nanos = (nothingDueFor.compareTo(maxQuiet) > 0 ? maxQuiet : nothingDueFor).toNanos();
        quiet = nanos > 0;
        quietUntil = System.nanoTime() + nanos;
    }

    /** Whether polls are being skipped now (for tests and metrics). */
    public synchronized boolean isQuiet() {
        return quiet && System.nanoTime() - quietUntil < 0;
    }
}
