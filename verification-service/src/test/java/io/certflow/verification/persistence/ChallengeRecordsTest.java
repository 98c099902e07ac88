package io.certflow.verification.persistence;

import io.certflow.events.v1.ChallengeReady;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class ChallengeRecordsTest {

    private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");
    private final ChallengeRecords records = ChallengeRecords.create("acct", "crt_1", "att_1");
    private final List<ChallengeRecords.Entry> entries =
            List.of(new ChallengeRecords.Entry("example.com", "label.acme.certflow.test.", "digest"));

    @Test
    void publishedRecordsAreServedUntilReadyAndWithdrawn() {
        records.publish(UUID.randomUUID(), entries, NOW, NOW.plusSeconds(120));
        assertThat(records.getId()).isEqualTo("crt_1/att_1");
        assertThat(records.getState().served()).isTrue();

        records.markServed(NOW.plusSeconds(1));
        records.markServed(NOW.plusSeconds(2));
        assertThat(records.getState()).isEqualTo(ChallengeRecords.State.READY);
        assertThat(records.getState().served()).isTrue();
        assertThat(records.pendingEvents()).singleElement().satisfies(m -> {
            ChallengeReady ready = (ChallengeReady) m.event();
            assertThat(ready.ready()).isTrue();
            assertThat(ready.attemptId()).isEqualTo("att_1");
            assertThat(ready.certificateId()).isEqualTo("crt_1");
        });

        records.withdraw(NOW.plusSeconds(60));
        assertThat(records.getState()).isEqualTo(ChallengeRecords.State.WITHDRAWN);
        assertThat(records.getState().served()).isFalse();
    }

    @Test
    void recordsNotServedInTimeFail() {
        records.publish(UUID.randomUUID(), entries, NOW, NOW.plusSeconds(120));
        assertThat(records.isOverdue(NOW.plusSeconds(60))).isFalse();
        assertThat(records.isOverdue(NOW.plusSeconds(121))).isTrue();
        records.timeOut(NOW.plusSeconds(121));
        assertThat(records.getState()).isEqualTo(ChallengeRecords.State.FAILED);
        assertThat(records.getState().served()).isFalse();
        ChallengeReady ready = (ChallengeReady) records.pendingEvents().get(0).event();
        assertThat(ready.ready()).isFalse();
        assertThat(ready.reason()).contains("not served");
    }

    @Test
    void refusalAnswersNotReadyWithTheReason() {
        records.refuse(UUID.randomUUID(), "Not delegated to certflow for this account: example.com.", NOW);
        assertThat(records.getRecords()).isEmpty();
        ChallengeReady ready = (ChallengeReady) records.pendingEvents().get(0).event();
        assertThat(ready.ready()).isFalse();
        assertThat(ready.reason()).contains("example.com");
    }
}
