package io.certflow.platform.messaging;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** A dead letter keeps the value as it arrived, unless it is over the limit: then only its size is kept. */
class DeadLetterValueSerializerTest {

    private final DeadLetterValueSerializer serializer = new DeadLetterValueSerializer(10);

    @Test
    void aValueWithinTheLimitIsKeptAsItArrived() {
        RecordHeaders headers = new RecordHeaders();

        assertThat(serializer.serialize("t-dlt", headers, "not json".getBytes(StandardCharsets.UTF_8)))
                .asString(StandardCharsets.UTF_8).isEqualTo("not json");
        assertThat(headers.lastHeader(DeadLetterValueSerializer.VALUE_DROPPED_HEADER)).isNull();
    }

    @Test
    void aValueOverTheLimitIsDroppedAndItsSizeSaid() {
        RecordHeaders headers = new RecordHeaders();

        assertThat(serializer.serialize("t-dlt", headers, new byte[11])).isNull();
        assertThat(new String(headers.lastHeader(DeadLetterValueSerializer.VALUE_DROPPED_HEADER).value(),
                StandardCharsets.UTF_8)).isEqualTo("11 bytes");
    }
}
