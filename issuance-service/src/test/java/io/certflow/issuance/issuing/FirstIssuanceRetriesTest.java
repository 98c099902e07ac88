package io.certflow.issuance.issuing;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class FirstIssuanceRetriesTest {

    private final FirstIssuanceRetries retries = new FirstIssuanceRetries(null, null, null,
            new IssuanceProperties.FirstIssuanceRetry(Duration.ofHours(1), Duration.ofHours(32)), Clock.systemUTC(), 10);

    @Test
    void waitsAnHourAfterTheFirstFailure_doublingTo32Hours() {
        assertThat(retries.backoff(1)).isEqualTo(Duration.ofHours(1));
        assertThat(retries.backoff(2)).isEqualTo(Duration.ofHours(2));
        assertThat(retries.backoff(6)).isEqualTo(Duration.ofHours(32));
        assertThat(retries.backoff(7)).isEqualTo(Duration.ofHours(32));
        assertThat(retries.backoff(10_000)).isEqualTo(Duration.ofHours(32));
    }
}
