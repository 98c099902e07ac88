package io.certflow.platform.web;

import io.certflow.testsupport.SettableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimiterTest {

    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final SettableClock clock = SettableClock.reading(() -> now);

    @Test
    void allowsTheBurstThenAsksToWaitForTheNextToken() {
        RateLimiter limiter = new RateLimiter(new SecurityProperties.RateLimit(2, 3), clock);

        for (int i = 0; i < 3; i++) {
            assertThat(limiter.acquire("key:a")).isZero();
        }
        assertThat(limiter.acquire("key:a")).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void refillsAtTheRateUpToTheBurst() {
        RateLimiter limiter = new RateLimiter(new SecurityProperties.RateLimit(2, 3), clock);
        for (int i = 0; i < 3; i++) {
            limiter.acquire("key:a");
        }

        now = now.plusMillis(500);
        assertThat(limiter.acquire("key:a")).isZero();
        assertThat(limiter.acquire("key:a")).isPositive();

        now = now.plusSeconds(60);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.acquire("key:a")).isZero();
        }
        assertThat(limiter.acquire("key:a")).isPositive();
    }

    @Test
    void eachCallerHasItsOwnBucket() {
        RateLimiter limiter = new RateLimiter(new SecurityProperties.RateLimit(1, 1), clock);

        assertThat(limiter.acquire("key:a")).isZero();
        assertThat(limiter.acquire("key:a")).isEqualTo(Duration.ofSeconds(1));
        assertThat(limiter.acquire("key:b")).isZero();
        assertThat(limiter.acquire("address:127.0.0.1")).isZero();
    }

    @Test
    void aRateOfZeroTurnsLimitingOff() {
        RateLimiter limiter = new RateLimiter(new SecurityProperties.RateLimit(0, 1), clock);

        for (int i = 0; i < 1000; i++) {
            assertThat(limiter.acquire("key:a")).isZero();
        }
        assertThat(limiter.size()).isZero();
    }

    @Test
    void idleBucketsAreDroppedWhenThereAreMany() {
        RateLimiter limiter = new RateLimiter(new SecurityProperties.RateLimit(1, 1), clock);
        for (int i = 0; i <= RateLimiter.MAX_IDLE_BUCKETS; i++) {
            limiter.acquire("address:" + i);
        }

        now = now.plusSeconds(1);
        limiter.acquire("address:new");

        assertThat(limiter.size()).isEqualTo(1);
    }
}
