package io.certflow.deployment.target;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class ReadBackCheckTest {

    private static ReadBack serving(String serial) {
        return ReadBack.of(new ServedCertificate(serial, null, null));
    }

    @Test
    void readsAgainUntilTheWantedSerialIsServed() {
        AtomicInteger reads = new AtomicInteger();
        ReadBackCheck check = new ReadBackCheck(Duration.ofSeconds(5), Duration.ofMillis(1));

        ReadBack served = check.awaitServing(() -> reads.incrementAndGet() < 3 ? serving("aa") : serving("bb"), "bb");

        assertThat(served.serialNumber()).contains("bb");
        assertThat(reads).hasValue(3);
    }

    @Test
    void returnsTheLastAnswerWhenTheWindowEnds() {
        ReadBackCheck check = new ReadBackCheck(Duration.ZERO, Duration.ofMillis(1));

        ReadBack served = check.awaitServing(() -> ReadBack.unknown("refused"), "bb");

        assertThat(served.known()).isFalse();
        assertThat(ReadBackCheck.serves(served, "bb")).isFalse();
        assertThat(ReadBackCheck.serves(serving("bb"), "bb")).isTrue();
    }
}
