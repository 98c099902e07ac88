package io.certflow.verification.dns.server;

import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Response rate limiting per source address for UDP answers (the idea of BIND's RRL). UDP sources
 * can be forged, so an authoritative server open to the internet must not let anyone use it to
 * flood a victim with answers. Each source gets a token bucket of {@code responsesPerSecond}
 * (burst of one second's worth); beyond it, every {@code slip}-th query gets a truncated answer —
 * a real resolver then retries over TCP, which cannot be forged — and the others are dropped.
 * TCP answers are never limited.
 *
 * <p>Memory is bounded: at most {@code maxTrackedSources} buckets are kept. A bucket idle for a
 * second is full again, so forgetting it changes nothing; when the table is full such buckets are
 * swept (at most every {@value #SWEEP_INTERVAL_MILLIS} ms, so a flood of new sources does not make
 * every query scan the table). Sources that still find no room — a flood of forged addresses — share
 * one bucket, so together they get no more than one source's rate.
 */
public final class ResponseRateLimiter {

    /** What to do with one UDP query. */
    public enum Decision {
        /** Answer it in full. */
        ANSWER,
        /** Answer with an empty truncated response, so a real client retries over TCP. */
        SLIP,
        /** Send nothing. */
        DROP
    }

    /** Sources tracked by default. */
    public static final int MAX_TRACKED_SOURCES = 100_000;
    private static final long SECOND = 1_000_000_000L;
    private static final long SWEEP_INTERVAL_MILLIS = 100;
    private static final long SWEEP_INTERVAL = SWEEP_INTERVAL_MILLIS * 1_000_000L;

    private final int responsesPerSecond;
    private final int slip;
    private final int maxTrackedSources;
    private final LongSupplier nanoTime;
    private final Map<InetAddress, Bucket> buckets = new ConcurrentHashMap<>();
    private final Bucket overflow;
    private final AtomicLong lastSweep;

    /**
     * @param responsesPerSecond answers per second and source; 0 turns limiting off
     * @param slip               every how many limited queries one truncated answer is sent; 0 never
     * @param nanoTime           the monotonic clock ({@code System::nanoTime} outside tests)
     */
    public ResponseRateLimiter(int responsesPerSecond, int slip, LongSupplier nanoTime) {
        this(responsesPerSecond, slip, MAX_TRACKED_SOURCES, nanoTime);
    }

    /** As above, with at most {@code maxTrackedSources} sources tracked one by one. */
    ResponseRateLimiter(int responsesPerSecond, int slip, int maxTrackedSources, LongSupplier nanoTime) {
        this.responsesPerSecond = Math.max(0, responsesPerSecond);
        this.slip = Math.max(0, slip);
        this.maxTrackedSources = Math.max(1, maxTrackedSources);
        this.nanoTime = nanoTime;
        long now = nanoTime.getAsLong();
        this.overflow = new Bucket(this.responsesPerSecond, now);
        this.lastSweep = new AtomicLong(now - SWEEP_INTERVAL);
    }

    /** Decides for one UDP query from {@code source}. */
    public Decision decide(InetAddress source) {
        if (responsesPerSecond == 0) {
            return Decision.ANSWER;
        }
        long now = nanoTime.getAsLong();
        Bucket bucket = buckets.get(source);
        if (bucket == null) {
            if (buckets.size() >= maxTrackedSources) {
                sweep(now);
            }
            bucket = buckets.size() < maxTrackedSources
                    ? buckets.computeIfAbsent(source, s -> new Bucket(responsesPerSecond, now))
                    : overflow;
        }
        return bucket.take(now, responsesPerSecond, slip);
    }

    /** How many sources have a bucket of their own now. */
    int trackedSources() {
        return buckets.size();
    }

    private void sweep(long now) {
        long last = lastSweep.get();
        if (now - last < SWEEP_INTERVAL || !lastSweep.compareAndSet(last, now)) {
            return;
        }
        buckets.values().removeIf(b -> b.idleFor(now) >= SECOND);
    }

    private static final class Bucket {
        private double tokens;
        private long updatedAt;
        private long limited;

        private Bucket(double tokens, long updatedAt) {
            this.tokens = tokens;
            this.updatedAt = updatedAt;
        }

        synchronized Decision take(long now, int rate, int slip) {
            double refill = Math.max(0, now - updatedAt) / (double) SECOND * rate;
            tokens = Math.min(rate, tokens + refill);
            updatedAt = Math.max(updatedAt, now);
            if (tokens >= 1) {
                tokens -= 1;
                return Decision.ANSWER;
            }
            limited++;
            return slip > 0 && limited % slip == 0 ? Decision.SLIP : Decision.DROP;
        }

        synchronized long idleFor(long now) {
            return now - updatedAt;
        }
    }
}
