package io.certflow.devstack.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class LatenciesTest {

    @Test
    void nearestRankPercentilesOverOneToHundredSeconds() {
        Latencies l = new Latencies();
        for (int i = 100; i >= 1; i--) {
            l.add(Duration.ofSeconds(i));
        }
        assertThat(l.percentile(50)).isEqualTo(Duration.ofSeconds(50));
        assertThat(l.percentile(95)).isEqualTo(Duration.ofSeconds(95));
        assertThat(l.percentile(99)).isEqualTo(Duration.ofSeconds(99));
        assertThat(l.percentile(100)).isEqualTo(Duration.ofSeconds(100));
        assertThat(l.summary()).isEqualTo("50.00 s / 95.00 s / 99.00 s");
    }

    @Test
    void oneSampleIsEveryPercentileAndNoSampleIsADash() {
        Latencies l = new Latencies();
        assertThat(l.summary()).isEqualTo("-");
        l.add(Duration.ofMillis(1234));
        assertThat(l.percentile(1)).isEqualTo(Duration.ofMillis(1234));
        assertThat(l.summary()).isEqualTo("1.23 s / 1.23 s / 1.23 s");
    }
}
