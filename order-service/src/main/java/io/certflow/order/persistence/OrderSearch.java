package io.certflow.order.persistence;

import io.certflow.order.ordering.Order;
import io.certflow.order.ordering.OrderSource;
import io.certflow.order.ordering.OrderStatus;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Lists one account's orders with filters, newest first, a page at a time. Every query starts with the
 * account (the {@code account_created} index), so one account never lists another's orders.
 */
@Component
public class OrderSearch {

    private final MongoTemplate mongo;

    public OrderSearch(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    /**
     * What to list; every filter is optional (null: any).
     *
     * @param statuses the states to include
     * @param product  the product code
     * @param domain   a canonical name the order certifies
     * @param source   how the order came in
     * @param active   true: only orders whose term runs at {@code now} and that are not cancelled; false: only the
     *                 others
     * @param now      the time {@code active} is judged at
     */
    public record Filter(Set<OrderStatus> statuses, String product, String domain, OrderSource source, Boolean active,
                         Instant now) {
    }

    /** One page of orders and how many match in all. */
    public record Result(List<Order> items, long total) {
    }

    /** The orders of {@code accountId} that pass {@code filter}, page {@code page} (from 0) of {@code size}. */
    public Result find(String accountId, Filter filter, int page, int size) {
        List<Criteria> all = new ArrayList<>();
        all.add(Criteria.where("accountId").is(accountId));
        if (filter.statuses() != null && !filter.statuses().isEmpty()) {
            all.add(Criteria.where("status").in(filter.statuses().stream().map(Enum::name).toList()));
        }
        if (filter.product() != null) {
            all.add(Criteria.where("product").is(filter.product()));
        }
        if (filter.domain() != null) {
            all.add(Criteria.where("domains").is(filter.domain()));
        }
        if (filter.source() != null) {
            all.add(Criteria.where("source").is(filter.source().name()));
        }
        if (filter.active() != null) {
            Criteria running = new Criteria().andOperator(Criteria.where("status").ne(OrderStatus.CANCELLED.name()),
                    Criteria.where("termEndsAt").gt(filter.now()));
            Criteria ended = new Criteria().orOperator(Criteria.where("status").is(OrderStatus.CANCELLED.name()),
                    Criteria.where("termEndsAt").lte(filter.now()));
            all.add(filter.active() ? running : ended);
        }
        Query query = Query.query(new Criteria().andOperator(all.toArray(Criteria[]::new)));
        long total = mongo.count(query, Order.class);
        query.with(Sort.by(Sort.Order.desc("createdAt"), Sort.Order.desc("_id")))
                .skip((long) page * size).limit(size);
        return new Result(mongo.find(query, Order.class), total);
    }
}
