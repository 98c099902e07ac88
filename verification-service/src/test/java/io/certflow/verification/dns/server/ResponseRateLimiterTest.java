package io.certflow.verification.dns.server;

import io.certflow.verification.dns.server.ResponseRateLimiter.Decision;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Token buckets per source on a fake monotonic clock. */
class ResponseRateLimiterTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final InetAddress victim = address("192.0.2.1");
    private final InetAddress other = address("198.51.100.7");

    @Test
    void aSourceGetsItsRateThenEverySecondQueryATruncatedAnswerAndTheRestNothing() {
        ResponseRateLimiter limiter = new ResponseRateLimiter(5, 2, nanos::get);

        List<Decision> decisions = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            decisions.add(limiter.decide(victim));
        }

        assertThat(decisions).containsExactly(Decision.ANSWER, Decision.ANSWER, Decision.ANSWER, Decision.ANSWER,
                Decision.ANSWER, Decision.DROP, Decision.SLIP, Decision.DROP, Decision.SLIP);
        assertThat(limiter.decide(other)).as("another source has its own bucket").isEqualTo(Decision.ANSWER);
    }

    @Test
    void theBucketRefillsWithTime() {
        ResponseRateLimiter limiter = new ResponseRateLimiter(5, 0, nanos::get);
        for (int i = 0; i < 5; i++) {
            limiter.decide(victim);
        }
        assertThat(limiter.decide(victim)).isEqualTo(Decision.DROP);

        nanos.addAndGet(200_000_000L); // 0.2 s = one token at 5/s

        assertThat(limiter.decide(victim)).isEqualTo(Decision.ANSWER);
        assertThat(limiter.decide(victim)).isEqualTo(Decision.DROP);
    }

    @Test
    void zeroTurnsLimitingOff() {
        ResponseRateLimiter limiter = new ResponseRateLimiter(0, 2, nanos::get);
        for (int i = 0; i < 1000; i++) {
            assertThat(limiter.decide(victim)).isEqualTo(Decision.ANSWER);
        }
    }

    @Test
    void aFloodOfForgedSourcesIsBoundedInMemoryAndInAnswers() {
        ResponseRateLimiter limiter = new ResponseRateLimiter(5, 0, 100, nanos::get);
        for (int i = 0; i < 5; i++) {
            limiter.decide(victim);
        }

        int answered = 0;
        for (int i = 0; i < 10_000; i++) {
            if (limiter.decide(address("10.%d.%d.1".formatted(i / 256, i % 256))) == Decision.ANSWER) {
                answered++;
            }
        }

        assertThat(limiter.trackedSources()).isLessThanOrEqualTo(100);
        assertThat(answered).as("99 sources with a bucket of their own, the rest share one of 5")
                .isEqualTo(99 + 5);
        assertThat(limiter.decide(victim)).as("a tracked source keeps its own, spent bucket").isEqualTo(Decision.DROP);
    }

    @Test
    void idleSourcesAreForgottenWhenRoomIsNeeded() {
        ResponseRateLimiter limiter = new ResponseRateLimiter(5, 0, 10, nanos::get);
        for (int i = 0; i < 10; i++) {
            limiter.decide(address("10.0.0." + i));
        }
        assertThat(limiter.trackedSources()).isEqualTo(10);

        nanos.addAndGet(1_000_000_000L); // one second idle: their buckets are full again

        for (int i = 0; i < 5; i++) {
            assertThat(limiter.decide(other)).isEqualTo(Decision.ANSWER);
        }
        assertThat(limiter.decide(other)).as("a bucket of its own, not the shared one").isEqualTo(Decision.DROP);
        assertThat(limiter.trackedSources()).isEqualTo(1);
    }

    private static InetAddress address(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
