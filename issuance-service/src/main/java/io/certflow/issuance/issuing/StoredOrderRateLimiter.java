package io.certflow.issuance.issuing;

import io.certflow.issuance.persistence.AttemptState;
import io.certflow.issuance.persistence.IssuanceAttempt;
import io.certflow.issuance.persistence.OrderRateWindow;
import io.certflow.issuance.persistence.OrderSlot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.springframework.data.mongodb.core.query.Criteria.where;

/**
 * The {@link NewOrderLimit} kept in one {@link OrderRateWindow} document per (CA profile, ACME account),
 * shared by every instance. A slot is claimed by an update conditional on the document's version; a
 * lost race reads again and decides again. Waiting order (FIFO) comes from the attempts' stored
 * {@code waitingForRateLimitSince}: an attempt is refused unless a slot is left for each earlier waiter of
 * the same pair that still waits without one.
 */
public class StoredOrderRateLimiter implements OrderRateLimiter {

    private static final Logger log = LoggerFactory.getLogger(StoredOrderRateLimiter.class);
    /** Lost races on the window document tried again (after a short random pause) before the attempt waits. */
    private static final int CLAIM_ATTEMPTS = 20;

    private final MongoTemplate mongo;
    private final NewOrderLimit limit;
    private final Map<String, NewOrderLimit> profileLimits;

    public StoredOrderRateLimiter(MongoTemplate mongo, NewOrderLimit limit) {
        this(mongo, limit, Map.of());
    }

    /**
     * @param limit         the limit of every profile without its own
     * @param profileLimits the profiles whose configuration overrides the limit
     */
    public StoredOrderRateLimiter(MongoTemplate mongo, NewOrderLimit limit, Map<String, NewOrderLimit> profileLimits) {
        this.mongo = mongo;
        this.limit = limit;
        this.profileLimits = Map.copyOf(profileLimits);
    }

    /** The limit applied to profiles without their own. */
    public NewOrderLimit limit() {
        return limit;
    }

    /** The limit applied to {@code profile}. */
    public NewOrderLimit limitFor(String profile) {
        return profileLimits.getOrDefault(profile, limit);
    }

    /**
     * How much of the new-order limit of ({@code profile}, {@code accountId}) is used at {@code now}.
     *
     * @param limit   the limit of the profile
     * @param used    new orders placed inside the current window
     * @param waiting attempts of the account waiting in line for a slot
     */
    public record Usage(NewOrderLimit limit, int used, long waiting) {
    }

    /** The usage of one (profile, account) pair, read from the stored window and the waiting attempts. */
    public Usage usage(String profile, String accountId, Instant now) {
        NewOrderLimit applied = limitFor(profile);
        OrderRateWindow window = mongo.findById(OrderRateWindow.idOf(profile, accountId), OrderRateWindow.class);
        int used = window == null ? 0 : applied.live(window.getOrders(), now).size();
        long waiting = mongo.count(Query.query(where("state").is(AttemptState.NEW).and("accountId").is(accountId)
                .and("rateLimitProfile").is(profile).and("waitingForRateLimitSince").ne(null)), IssuanceAttempt.class);
        return new Usage(applied, used, waiting);
    }

    @Override
    public NewOrderLimit.Decision acquire(String profile, IssuanceAttempt attempt, Instant now) {
        NewOrderLimit limit = limitFor(profile);
        String id = OrderRateWindow.idOf(profile, attempt.getAccountId());
        for (int i = 0; i < CLAIM_ATTEMPTS; i++) {
            OrderRateWindow window = load(id, profile, attempt.getAccountId());
            List<OrderSlot> live = limit.live(window.getOrders(), now);
            int earlier = earlierWaiters(profile, attempt, live);
            NewOrderLimit.Decision decision = limit.decide(window.getOrders(), attempt.getId(), earlier, now);
            if (!decision.claims()) {
                return decision;
            }
            long claimed = mongo.updateFirst(
                    Query.query(where("_id").is(id).and("version").is(window.getVersion())),
                    new Update().set("orders", decision.newSlots()).set("version", window.getVersion() + 1),
                    OrderRateWindow.class).getModifiedCount();
            if (claimed == 1 && holdsSlot(id, attempt.getId())) {
                return decision;
            }
            log.debug("order rate window {} changed concurrently; deciding again", id);
            pauseBeforeRetry();
        }
        return new NewOrderLimit.Decision(false, null, now.plus(limitFor(profile).recheckDelay()));
    }

    /** Live new orders in the window of every account of {@code profile} (for the metrics). */
    public long ordersInWindow(String profile, Instant now) {
        NewOrderLimit limit = limitFor(profile);
        return mongo.find(Query.query(where("caProfile").is(profile)), OrderRateWindow.class).stream()
                .mapToLong(w -> limit.live(w.getOrders(), now).size()).sum();
    }

    /** Attempts of {@code profile} waiting for a slot (for the metrics). */
    public long waiting(String profile) {
        return mongo.count(Query.query(where("state").is(AttemptState.NEW).and("rateLimitProfile").is(profile)
                .and("waitingForRateLimitSince").ne(null)), IssuanceAttempt.class);
    }

    private OrderRateWindow load(String id, String profile, String accountId) {
        OrderRateWindow found = mongo.findById(id, OrderRateWindow.class);
        if (found != null) {
            return found;
        }
        try {
            return mongo.insert(OrderRateWindow.empty(profile, accountId));
        } catch (DuplicateKeyException e) {
            return mongo.findById(id, OrderRateWindow.class);
        }
    }

    /**
     * Whether the stored window holds a slot of {@code attemptId}: read again after a claim, so that a claim
     * another writer overwrote (a store whose conditional update is not atomic, such as the Mongo wire server
     * of the tests) is decided again instead of granted twice.
     */
    private boolean holdsSlot(String id, String attemptId) {
        OrderRateWindow after = mongo.findById(id, OrderRateWindow.class);
        return after != null && after.getOrders().stream().anyMatch(s -> s.attemptId().equals(attemptId));
    }

    /** A few milliseconds, random, so that steps that lost a race on the same window do not collide again. */
    private static void pauseBeforeRetry() {
        try {
            Thread.sleep(1 + java.util.concurrent.ThreadLocalRandom.current().nextInt(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private int earlierWaiters(String profile, IssuanceAttempt attempt, List<OrderSlot> live) {
        List<String> excluded = new ArrayList<>(live.stream().map(OrderSlot::attemptId).toList());
        excluded.add(attempt.getId());
        Criteria criteria = where("state").is(AttemptState.NEW).and("accountId").is(attempt.getAccountId())
                .and("rateLimitProfile").is(profile).and("_id").nin(excluded);
        Instant mine = attempt.getWaitingForRateLimitSince();
        if (mine == null) {
            criteria = criteria.and("waitingForRateLimitSince").ne(null);
        } else {
            criteria = criteria.orOperator(where("waitingForRateLimitSince").lt(mine),
                    where("waitingForRateLimitSince").is(mine).and("_id").lt(attempt.getId()));
        }
        return (int) Math.min(Integer.MAX_VALUE, mongo.count(Query.query(criteria), IssuanceAttempt.class));
    }
}
