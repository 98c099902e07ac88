package io.certflow.order.web;

import io.certflow.order.persistence.OrderSearch;
import io.certflow.platform.web.Account;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Instant;

/**
 * The caller's subscriptions: the terms its orders bought, with whether each still runs and until when
 * its certificate is renewed. Exists beside the order list because billing and customers ask "what am I
 * entitled to, until when", not "what did I order".
 */
@RestController
@RequestMapping("/api/v1/subscriptions")
public class SubscriptionController {

    private final OrderSearch search;
    private final Clock clock;

    public SubscriptionController(OrderSearch search, Clock clock) {
        this.search = search;
        this.clock = clock;
    }

    /**
     * Newest first; {@code active=true} only running terms, {@code false} only ended or cancelled ones; the other
     * filters as for orders ({@link ListQuery}).
     */
    @GetMapping
    public PageView<SubscriptionView> list(Account account, ListQuery query) {
        Instant now = clock.instant();
        return ListParameters.page(search, account.id(), query, now, order -> SubscriptionView.of(order, now));
    }
}
