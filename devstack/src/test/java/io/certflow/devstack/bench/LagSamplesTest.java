package io.certflow.devstack.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LagSamplesTest {

    /** 1000 records published at once; the group commits 100 every 500 ms after a 2 s start. */
    private static LagSamples steadyConsumer(long base) {
        LagSamples s = new LagSamples();
        s.add(new LagSamples.Sample(0, base, base));
        s.add(new LagSamples.Sample(1000, base, base + 1000));
        s.add(new LagSamples.Sample(2000, base, base + 1000));
        for (int i = 1; i <= 10; i++) {
            s.add(new LagSamples.Sample(2000 + i * 500L, base + i * 100L, base + 1000));
        }
        return s;
    }

    @Test
    void theSteadyRateIsTheSlopeBetweenTenAndNinetyPerCentLeavingTheStartOut() {
        LagSamples s = steadyConsumer(5000);

        assertThat(s.steadyRate(5000, 1000)).hasValue(200.0); // 100 per 500 ms
        assertThat(s.firstAdvance(5000)).hasValue(2500);
        assertThat(s.reached(6000)).hasValue(7000);
    }

    @Test
    void crossingsAreInterpolatedBetweenSamples() {
        LagSamples s = new LagSamples();
        s.add(new LagSamples.Sample(0, 0, 100));
        s.add(new LagSamples.Sample(1000, 40, 100));
        s.add(new LagSamples.Sample(2000, 100, 100));

        assertThat(s.crossing(70).getAsDouble()).isCloseTo(1500.0, within(1e-9));
        assertThat(s.crossing(0).getAsDouble()).isZero();
        assertThat(s.crossing(101)).isEmpty();
        assertThat(s.rate(40, 100)).hasValue(60.0);
    }

    @Test
    void lagIsEndMinusCommittedAtOrAfterAMoment() {
        LagSamples s = steadyConsumer(0);

        assertThat(s.maxLag()).isEqualTo(1000);
        assertThat(s.lagAt(2600)).hasValue(800); // the sample at 3000 ms: 200 committed
        assertThat(s.lagAt(99_999)).isEmpty();
        assertThat(s.last().lag()).isZero();
    }

    @Test
    void noRateWithoutBothCrossingsOrTime() {
        LagSamples s = new LagSamples();
        s.add(new LagSamples.Sample(0, 0, 10));
        s.add(new LagSamples.Sample(500, 5, 10));

        assertThat(s.steadyRate(0, 10)).isEmpty(); // 9 never reached
        assertThat(s.rate(5, 5)).isEmpty();
        assertThat(LagSamples.perSecond(100, 0)).isZero();
        assertThat(LagSamples.perSecond(100, 500)).isEqualTo(200.0);
    }
}
