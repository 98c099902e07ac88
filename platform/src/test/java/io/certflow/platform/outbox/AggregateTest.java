package io.certflow.platform.outbox;

import io.certflow.events.v1.RenewalDue;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The embedded outbox and the memory of applied events. */
class AggregateTest {

    static final class Thing extends Aggregate {
        Thing() {
            super("thing-1", "account-a");
        }

        void due(RenewalDue event) {
            raise(event);
        }
    }

    @Test
    void aRaisedEventWaitsInTheOutboxWithItsTopicTypeAndKey() {
        Thing thing = new Thing();
        RenewalDue due = new RenewalDue(UUID.randomUUID(), Instant.parse("2026-11-27T10:00:00Z"), "account-a", "crt-1",
                "abc", null, "test", false);

        thing.due(due);

        assertThat(thing.pendingEvents()).singleElement().satisfies(m -> {
            assertThat(m.eventId()).isEqualTo(due.eventId().toString());
            assertThat(m.topic()).isEqualTo("certflow.renewal-due");
            assertThat(m.type()).isEqualTo("io.certflow.renewal.due.v1");
            assertThat(m.key()).isEqualTo("crt-1");
            assertThat(m.event()).isEqualTo(due);
        });
    }

    @Test
    void remembersAppliedEventsUpToABoundOldestForgottenFirst() {
        Thing thing = new Thing();
        UUID first = UUID.randomUUID();
        thing.markApplied(first);
        thing.markApplied(first);
        assertThat(thing.hasApplied(first)).isTrue();

        UUID last = null;
        for (int i = 0; i < Aggregate.APPLIED_EVENTS_REMEMBERED; i++) {
            last = UUID.randomUUID();
            thing.markApplied(last);
        }

        assertThat(thing.hasApplied(last)).isTrue();
        assertThat(thing.hasApplied(first)).isFalse();
    }
}
