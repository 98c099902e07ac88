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

    private static InetAddress address(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
