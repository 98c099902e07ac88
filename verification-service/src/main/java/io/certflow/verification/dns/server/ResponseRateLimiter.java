package io.certflow.verification.dns.server;

import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Response rate limiting per source address for UDP answers (the idea of BIND's RRL). UDP sources
 * can be forged, so an authoritative server open to the internet must not let anyone use it to
 * flood a victim with answers. Each source gets a token bucket of {@code responsesPerSecond}
 * (burst of one second's worth); beyond it, every {@code slip}-th query gets a truncated answer —
 * a real resolver then retries over TCP, which cannot be forged — and the others are dropped.
 * TCP answers are never limited.
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

    private static final long SECOND = 1_000_000_000L;
    private static final int MAX_TRACKED_SOURCES = 100_000;

    private final int responsesPerSecond;
    private final int slip;
    private final LongSupplier nanoTime;
    private final Map<InetAddress, Bucket> buckets = new ConcurrentHashMap<>();

    /**
     * @param responsesPerSecond answers per second and source; 0 turns limiting off
     * @param slip               every how many limited queries one truncated answer is sent; 0 never
     * @param nanoTime           the monotonic clock ({@code System::nanoTime} outside tests)
     */
    public ResponseRateLimiter(int responsesPerSecond, int slip, LongSupplier nanoTime) {
        this.responsesPerSecond = Math.max(0, responsesPerSecond);
        this.slip = Math.max(0, slip);
        this.nanoTime = nanoTime;
    }

    /** Decides for one UDP query from {@code source}. */
    public Decision decide(InetAddress source) {
        if (responsesPerSecond == 0) {
            return Decision.ANSWER;
        }
        long now = nanoTime.getAsLong();
        if (buckets.size() > MAX_TRACKED_SOURCES) {
            buckets.values().removeIf(b -> now - b.updatedAt > 60 * SECOND);
        }
        Bucket bucket = buckets.computeIfAbsent(source, s -> new Bucket(responsesPerSecond, now));
        synchronized (bucket) {
            double refill = (now - bucket.updatedAt) / (double) SECOND * responsesPerSecond;
            bucket.tokens = Math.min(responsesPerSecond, bucket.tokens + refill);
            bucket.updatedAt = now;
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return Decision.ANSWER;
            }
            bucket.limited++;
            return slip > 0 && bucket.limited % slip == 0 ? Decision.SLIP : Decision.DROP;
        }
    }

    private static final class Bucket {
        private double tokens;
        private long updatedAt;
        private long limited;

        private Bucket(double tokens, long updatedAt) {
            this.tokens = tokens;
            this.updatedAt = updatedAt;
        }
    }
}
