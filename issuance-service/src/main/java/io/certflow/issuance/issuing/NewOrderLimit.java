package io.certflow.issuance.issuing;

import io.certflow.issuance.persistence.OrderSlot;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The rule of the new-order limiter, as one pure function: at most {@code orders} new orders per
 * (CA profile, ACME account) in any sliding {@code window}, and waiting attempts served first come,
 * first served. Exists so that the decision is tested with a fixed clock, apart from its storage.
 *
 * @param orders      new orders allowed per window
 * @param window      length of the sliding window
 * @param recheckDelay when an attempt that was overtaken by an earlier waiter looks again
 */
public record NewOrderLimit(int orders, Duration window, Duration recheckDelay) {

    /** Let's Encrypt's published limit: 300 new orders per account per 3 hours. */
    public static final NewOrderLimit LETS_ENCRYPT = new NewOrderLimit(300, Duration.ofHours(3), Duration.ofSeconds(1));

    public NewOrderLimit {
        if (orders < 1) {
            throw new IllegalArgumentException("the new-order limit must be at least 1, not " + orders);
        }
        if (window == null || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("the rate-limit window must be positive, not " + window);
        }
        Objects.requireNonNull(recheckDelay);
    }

    /**
     * What the limiter answers.
     *
     * @param granted  whether the attempt may place its order now
     * @param newSlots the slots to store when a slot was newly taken (null when nothing changes)
     * @param retryAt  when a refused attempt looks again (null when granted)
     */
    public record Decision(boolean granted, List<OrderSlot> newSlots, Instant retryAt) {

        /** Whether the stored window must be updated. */
        public boolean claims() {
            return granted && newSlots != null;
        }
    }

    /** The slots of {@code slots} still inside the window at {@code now}, oldest first. */
    public List<OrderSlot> live(List<OrderSlot> slots, Instant now) {
        Instant horizon = now.minus(window);
        return slots.stream().filter(s -> s.at().isAfter(horizon)).sorted(Comparator.comparing(OrderSlot::at)).toList();
    }

    /**
     * Decides for {@code attemptId} at {@code now}, given the stored slots and how many attempts that started
     * waiting earlier still wait. An attempt that already holds a slot keeps it; a full window makes it wait
     * until its oldest order leaves; earlier waiters go first: the attempt gets a slot only if one is left
     * after each of them has had one (so with room to spare nobody waits for anybody).
     */
    public Decision decide(List<OrderSlot> slots, String attemptId, int earlierWaiters, Instant now) {
        List<OrderSlot> live = live(slots, now);
        if (live.stream().anyMatch(s -> s.attemptId().equals(attemptId))) {
            return new Decision(true, null, null);
        }
        if (live.size() >= orders) {
            return new Decision(false, null, live.get(live.size() - orders).at().plus(window));
        }
        if (live.size() + earlierWaiters >= orders) {
            return new Decision(false, null, now.plus(recheckDelay));
        }
        List<OrderSlot> next = new ArrayList<>(live);
        next.add(new OrderSlot(attemptId, now));
        return new Decision(true, List.copyOf(next), null);
    }
}
