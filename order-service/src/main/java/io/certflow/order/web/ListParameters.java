package io.certflow.order.web;

import io.certflow.order.ordering.DomainNames;
import io.certflow.order.ordering.InvalidOrderException;
import io.certflow.order.ordering.Order;
import io.certflow.order.ordering.OrderSource;
import io.certflow.order.ordering.OrderStatus;
import io.certflow.order.persistence.OrderSearch;
import io.certflow.platform.web.BadRequestException;

import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The query parameters of the order and subscription lists, read strictly: a value that is not one the
 * list understands is a 400 naming the parameter and what it accepts, never ignored.
 */
final class ListParameters {

    static final int DEFAULT_SIZE = 20;
    static final int MAX_SIZE = 100;

    private ListParameters() {
    }

    /**
     * One page of the account's orders that pass the filters of {@code query}, shown by {@code view}.
     *
     * @throws BadRequestException naming the first parameter that is not understood
     */
    static <T> PageView<T> page(OrderSearch search, String accountId, ListQuery query, Instant now,
                                Function<Order, T> view) {
        int pageNumber = page(query.page());
        int pageSize = size(query.size());
        OrderSearch.Filter filter = new OrderSearch.Filter(statuses(query.status()), product(query.product()),
                domain(query.domain()), source(query.source()), bool("active", query.active()), now);
        OrderSearch.Result result = search.find(accountId, filter, pageNumber, pageSize);
        return PageView.of(result.items().stream().map(view).toList(), pageNumber, pageSize, result.total());
    }

    static int page(String raw) {
        if (raw == null) {
            return 0;
        }
        int page = integer("page", raw);
        if (page < 0 || page > 100_000) {
            throw new BadRequestException("page: " + page + " is out of range; pages count from 0");
        }
        return page;
    }

    static int size(String raw) {
        if (raw == null) {
            return DEFAULT_SIZE;
        }
        int size = integer("size", raw);
        if (size < 1 || size > MAX_SIZE) {
            throw new BadRequestException("size: " + size + " is out of range; 1 to " + MAX_SIZE);
        }
        return size;
    }

    static Set<OrderStatus> statuses(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        Set<OrderStatus> statuses = EnumSet.noneOf(OrderStatus.class);
        for (String part : raw.split(",")) {
            String name = part.trim().toUpperCase(Locale.ROOT);
            statuses.add(Arrays.stream(OrderStatus.values()).filter(s -> s.name().equals(name)).findFirst()
                    .orElseThrow(() -> new BadRequestException("status: '" + shorten(part.trim()) + "' is not one of "
                            + Arrays.stream(OrderStatus.values()).map(Enum::name).collect(Collectors.joining(", ")))));
        }
        return statuses;
    }

    static OrderSource source(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String name = raw.trim().toUpperCase(Locale.ROOT);
        return Arrays.stream(OrderSource.values()).filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new BadRequestException("source: '" + shorten(raw) + "' is not one of API, PURCHASE"));
    }

    static String domain(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return DomainNames.normalize(raw);
        } catch (InvalidOrderException e) {
            throw new BadRequestException("domain: " + e.getMessage());
        }
    }

    static String product(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String code = raw.trim();
        if (code.length() > 64 || !code.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new BadRequestException("product: '" + shorten(code) + "' is not a product code");
        }
        return code;
    }

    static Boolean bool(String name, String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        return switch (raw.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new BadRequestException(name + ": '" + shorten(raw) + "' is neither true nor false");
        };
    }

    private static int integer(String name, String raw) {
        try {
            return Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new BadRequestException(name + ": '" + shorten(raw) + "' is not a whole number");
        }
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
