package io.certflow.platform.outbox;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The bounded, coalescing set of saved documents the relay publishes by id. */
class PendingOutboxesTest {

    private static final long NO_WAIT = 0;

    @Test
    void savesOfOneDocumentCoalesceAndAreTakenInTheOrderSaved() throws InterruptedException {
        PendingOutboxes pending = new PendingOutboxes(10);

        pending.add("orders", "b");
        pending.add("orders", "a");
        pending.add("orders", "b");
        pending.add("certificates", "b");

        PendingOutboxes.Work work = pending.take(NO_WAIT);
        assertThat(work.saved()).containsExactly(new PendingOutboxes.Saved("orders", "b"),
                new PendingOutboxes.Saved("orders", "a"), new PendingOutboxes.Saved("certificates", "b"));
        assertThat(work.overflowed()).isFalse();
        assertThat(pending.take(NO_WAIT).saved()).isEmpty();
    }

    @Test
    void aBurstBeyondTheBoundKeepsTheBoundAndReportsTheOverflowOnce() throws InterruptedException {
        PendingOutboxes pending = new PendingOutboxes(2);

        pending.add("orders", "1");
        pending.add("orders", "2");
        pending.add("orders", "1"); // already waiting: no overflow
        assertThat(pending.take(NO_WAIT).overflowed()).isFalse();
        pending.add("orders", "1");
        pending.add("orders", "2");
        pending.add("orders", "3");
        pending.add("orders", "4");

        PendingOutboxes.Work work = pending.take(NO_WAIT);
        assertThat(work.saved()).extracting(PendingOutboxes.Saved::id).containsExactly("1", "2");
        assertThat(work.overflowed()).isTrue();
        assertThat(pending.take(NO_WAIT).overflowed()).isFalse();
    }

    @Test
    void withNothingSavedTheTakeWaitsForItsTimeout() throws InterruptedException {
        PendingOutboxes pending = new PendingOutboxes(10);

        long started = System.nanoTime();
        PendingOutboxes.Work nothing = pending.take(TimeUnit.MILLISECONDS.toNanos(100));

        assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
        assertThat(nothing.saved()).isEmpty();
        assertThat(nothing.overflowed()).isFalse();
    }

    @Test
    void aSaveOnAnotherThreadEndsTheWait() throws InterruptedException {
        PendingOutboxes pending = new PendingOutboxes(10);
        Thread saver = new Thread(() -> {
            sleep(100);
            pending.add("orders", "late");
        });
        saver.start();

        PendingOutboxes.Work work = pending.take(TimeUnit.SECONDS.toNanos(30));

        assertThat(work.saved()).extracting(PendingOutboxes.Saved::id).containsExactly("late");
        saver.join();
    }

    @Test
    void aWakeUpEndsTheWaitWithNothingToDo() throws InterruptedException {
        PendingOutboxes pending = new PendingOutboxes(10);
        pending.wakeUp();

        long started = System.nanoTime();
        PendingOutboxes.Work work = pending.take(TimeUnit.SECONDS.toNanos(30));

        assertThat(System.nanoTime() - started).isLessThan(TimeUnit.SECONDS.toNanos(5));
        assertThat(work.saved()).isEmpty();
    }

    @Test
    void needsRoomForOneDocument() {
        assertThatThrownBy(() -> new PendingOutboxes(0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
