package io.certflow.issuance.issuing;

import io.certflow.issuance.persistence.OrderSlot;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The new-order limiter's decision at fixed instants: slots, the sliding window, first come first served. */
class NewOrderLimitTest {

    private static final Instant T0 = Instant.parse("2030-01-01T10:00:00Z");
    private static final Duration WINDOW = Duration.ofHours(3);
    private final NewOrderLimit limit = new NewOrderLimit(2, WINDOW, Duration.ofSeconds(1));

    @Test
    void theDefaultIsLetsEncryptsPublishedLimit() {
        assertThat(NewOrderLimit.LETS_ENCRYPT.orders()).isEqualTo(300);
        assertThat(NewOrderLimit.LETS_ENCRYPT.window()).isEqualTo(Duration.ofHours(3));
    }

    @Test
    void freeSlotsAreTakenUntilTheWindowIsFull() {
        NewOrderLimit.Decision first = limit.decide(List.of(), "a", 0, T0);
        assertThat(first.granted()).isTrue();
        assertThat(first.claims()).isTrue();
        assertThat(first.newSlots()).containsExactly(new OrderSlot("a", T0));

        NewOrderLimit.Decision second = limit.decide(first.newSlots(), "b", 0, T0.plusSeconds(60));
        assertThat(second.granted()).isTrue();
        assertThat(second.newSlots()).extracting(OrderSlot::attemptId).containsExactly("a", "b");

        NewOrderLimit.Decision third = limit.decide(second.newSlots(), "c", 0, T0.plusSeconds(120));
        assertThat(third.granted()).isFalse();
        assertThat(third.claims()).isFalse();
        assertThat(third.retryAt()).as("when the oldest order leaves the window").isEqualTo(T0.plus(WINDOW));
    }

    @Test
    void theWindowSlides() {
        List<OrderSlot> full = List.of(new OrderSlot("a", T0), new OrderSlot("b", T0.plusSeconds(60)));

        assertThat(limit.decide(full, "c", 0, T0.plus(WINDOW).minusMillis(1)).granted()).isFalse();

        NewOrderLimit.Decision afterOldest = limit.decide(full, "c", 0, T0.plus(WINDOW));
        assertThat(afterOldest.granted()).isTrue();
        assertThat(afterOldest.newSlots()).as("the expired order is dropped")
                .extracting(OrderSlot::attemptId).containsExactly("b", "c");

        NewOrderLimit.Decision next = limit.decide(afterOldest.newSlots(), "d", 0, T0.plus(WINDOW).plusSeconds(1));
        assertThat(next.granted()).isFalse();
        assertThat(next.retryAt()).isEqualTo(T0.plusSeconds(60).plus(WINDOW));
    }

    @Test
    void anAttemptThatHoldsASlotKeepsItWithoutTakingAnother() {
        List<OrderSlot> full = List.of(new OrderSlot("a", T0), new OrderSlot("b", T0.plusSeconds(60)));

        NewOrderLimit.Decision again = limit.decide(full, "a", 1, T0.plusSeconds(90));

        assertThat(again.granted()).isTrue();
        assertThat(again.claims()).isFalse();
    }

    @Test
    void anEarlierWaiterIsNotOvertakenEvenWhenASlotIsFree() {
        List<OrderSlot> oneFree = List.of(new OrderSlot("a", T0));

        NewOrderLimit.Decision later = limit.decide(oneFree, "late", 1, T0.plusSeconds(5));
        assertThat(later.granted()).isFalse();
        assertThat(later.retryAt()).isEqualTo(T0.plusSeconds(6));

        NewOrderLimit.Decision first = limit.decide(oneFree, "early", 0, T0.plusSeconds(5));
        assertThat(first.granted()).isTrue();
    }

    @Test
    void withRoomForEveryEarlierWaiterALaterAttemptDoesNotWait() {
        NewOrderLimit.Decision roomForBoth = limit.decide(List.of(), "late", 1, T0);
        assertThat(roomForBoth.granted()).as("two free slots, one earlier waiter").isTrue();

        NewOrderLimit.Decision roomForOne = limit.decide(List.of(new OrderSlot("a", T0)), "late", 1, T0);
        assertThat(roomForOne.granted()).as("the one free slot is the earlier waiter's").isFalse();
    }

    @Test
    void aFullWindowWinsOverTheQueue() {
        List<OrderSlot> full = List.of(new OrderSlot("a", T0), new OrderSlot("b", T0.plusSeconds(60)));

        NewOrderLimit.Decision queued = limit.decide(full, "c", 1, T0.plusSeconds(61));

        assertThat(queued.retryAt()).as("no point looking before a slot frees").isEqualTo(T0.plus(WINDOW));
    }
}
