package io.certflow.platform.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per caller (an API key's name, or the remote address of a request without a valid
 * key), so that one busy or misbehaving client cannot starve the others and guessing keys is slow.
 * Each bucket holds up to {@code burst} tokens and refills at {@code requestsPerSecond}; a request
 * takes one token or is refused with the time until the next one.
 */
public class RateLimiter {

    /** Above this many buckets, full (idle) ones are dropped so that many addresses cannot fill the memory. */
    static final int MAX_IDLE_BUCKETS = 10_000;

    private final SecurityProperties.RateLimit limit;
    private final Clock clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(SecurityProperties.RateLimit limit, Clock clock) {
        this.limit = limit;
        this.clock = clock;
    }

    /**
     * Takes a token from the caller's bucket.
     *
     * @return {@link Duration#ZERO} if the request may go on, else how long the caller should wait
     */
    public Duration acquire(String caller) {
        if (!limit.enabled()) {
            return Duration.ZERO;
        }
        Instant now = clock.instant();
        if (buckets.size() > MAX_IDLE_BUCKETS) {
            buckets.values().removeIf(b -> b.isFull(now));
        }
        return buckets.computeIfAbsent(caller, c -> new Bucket(limit, now)).take(now);
    }

    /** Number of buckets held (for tests). */
    int size() {
        return buckets.size();
    }

    private static final class Bucket {
        private final double rate;
        private final double capacity;
        private double tokens;
        private Instant last;

        Bucket(SecurityProperties.RateLimit limit, Instant now) {
            this.rate = limit.requestsPerSecond();
            this.capacity = limit.burst();
            this.tokens = capacity;
            this.last = now;
        }

        synchronized Duration take(Instant now) {
            refill(now);
            if (tokens >= 1) {
                tokens -= 1;
                return Duration.ZERO;
            }
            long nanos = (long) Math.ceil((1 - tokens) / rate * 1e9);
            return Duration.ofNanos(Math.max(1, nanos));
        }

        synchronized boolean isFull(Instant now) {
            refill(now);
            return tokens >= capacity;
        }

        private void refill(Instant now) {
            if (now.isAfter(last)) {
                double seconds = Duration.between(last, now).toNanos() / 1e9;
                tokens = Math.min(capacity, tokens + seconds * rate);
                last = now;
            }
        }
    }
}
