package io.certflow.platform.polling;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class PollGateTest {

    @Test
    void aPollThatFoundNothingSkipsPollsUntilTheQuietEnds() throws InterruptedException {
        PollGate gate = new PollGate(Duration.ofSeconds(1));
        assertThat(gate.shouldPoll()).isTrue();
        gate.quietFor(Duration.ofMillis(150), gate.mark());
        assertThat(gate.shouldPoll()).isFalse();
        assertThat(gate.isQuiet()).isTrue();
        Thread.sleep(200);
        assertThat(gate.shouldPoll()).isTrue();
    }

    @Test
    void theQuietIsNeverLongerThanTheMaximum() throws InterruptedException {
        PollGate gate = new PollGate(Duration.ofMillis(100));
        gate.quietFor(Duration.between(java.time.Instant.now(), java.time.Instant.MAX), gate.mark()); // nothing due, ever
        assertThat(gate.shouldPoll()).isFalse();
        Thread.sleep(150);
        assertThat(gate.shouldPoll()).isTrue();
    }

    @Test
    void aSignalEndsTheQuietAtOnce() {
        PollGate gate = new PollGate(Duration.ofMinutes(1));
        gate.quietFor(Duration.ofMinutes(1), gate.mark());
        assertThat(gate.shouldPoll()).isFalse();
        gate.signal();
        assertThat(gate.shouldPoll()).isTrue();
    }

    @Test
    void aSignalDuringThePollWinsOverTheQuietItAsksForAfterwards() {
        PollGate gate = new PollGate(Duration.ofMinutes(1));
        long mark = gate.mark();
        gate.signal(); // saved while the poll read the store
        gate.quietFor(Duration.ofMinutes(1), mark);
        assertThat(gate.shouldPoll()).isTrue();
    }

    @Test
    void nothingDueAlreadyMeansNoQuiet() {
        PollGate gate = new PollGate(Duration.ofMinutes(1));
        gate.quietFor(Duration.ofMillis(-5), gate.mark());
        assertThat(gate.shouldPoll()).isTrue();
    }
}
