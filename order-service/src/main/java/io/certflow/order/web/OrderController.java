package io.certflow.order.web;

import io.certflow.order.ordering.KeyChoice;
import io.certflow.order.ordering.Order;
import io.certflow.order.ordering.OrderService;
import io.certflow.order.ordering.VerificationMethod;
import io.certflow.order.persistence.OrderRepository;
import io.certflow.order.persistence.OrderSearch;
import io.certflow.platform.web.Account;
import io.certflow.platform.web.BadRequestException;
import io.certflow.platform.web.NotFoundException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.time.Clock;

/**
 * The order API, always within the caller's account: place an order, list and read orders, apply a
 * purchase that named no domains, cancel an order. Refusals are problem+json ({@link OrderProblems}).
 */
@RestController
@RequestMapping("/api/v1/orders")
public class OrderController {

    private final OrderService orders;
    private final OrderRepository repository;
    private final OrderSearch search;
    private final Clock clock;

    public OrderController(OrderService orders, OrderRepository repository, OrderSearch search, Clock clock) {
        this.orders = orders;
        this.repository = repository;
        this.search = search;
        this.clock = clock;
    }

    @PostMapping
    public ResponseEntity<OrderView> place(Account account, @RequestBody CreateOrderRequest request) {
        Order order = orders.place(account.id(), request.domains(), request.product(), request.termYears(),
                request.hosting(), KeyChoice.of(request.keyType(), request.reuseKey()),
                VerificationMethod.parse(request.verificationMethod()));
        return ResponseEntity.created(URI.create("/api/v1/orders/" + order.getOrderId())).body(OrderView.of(order));
    }

    /**
     * The caller's orders, newest first, filtered by {@code status} (comma-separated), product, domain, source,
     * active term ({@link ListQuery}).
     */
    @GetMapping
    public PageView<OrderView> list(Account account, ListQuery query) {
        return ListParameters.page(search, account.id(), query, clock.instant(), OrderView::of);
    }

    @GetMapping("/{orderId}")
    public OrderView get(Account account, @PathVariable String orderId) {
        return repository.findByOrderIdAndAccountId(orderId, account.id()).map(OrderView::of)
                .orElseThrow(() -> new NotFoundException("No order " + orderId + "."));
    }

    /** The application of a purchase that named no domains: names, verification method, key; starts the lifecycle. */
    @PostMapping("/{orderId}/application")
    public OrderView apply(Account account, @PathVariable String orderId, @RequestBody ApplicationRequest request) {
        KeyChoice key = KeyChoice.of(request.keyType(), request.reuseKey());
        VerificationMethod method = VerificationMethod.parse(request.verificationMethod());
        return OrderView.of(orders.applyFor(account.id(), orderId, request.domains(), method, key));
    }

    /** Cancels an order: hosting and deployment stop; {@code revoke: true} also revokes the live certificate. */
    @PostMapping("/{orderId}/cancellation")
    public OrderView cancel(Account account, @PathVariable String orderId,
                            @RequestBody(required = false) CancellationRequest request) {
        String reason = request == null || request.reason() == null || request.reason().isBlank() ? null
                : request.reason().trim();
        if (reason != null && reason.length() > CancellationRequest.MAX_REASON_LENGTH) {
            throw new BadRequestException("reason: " + reason.length() + " characters; at most "
                    + CancellationRequest.MAX_REASON_LENGTH);
        }
        boolean revoke = request != null && Boolean.TRUE.equals(request.revoke());
        return OrderView.of(orders.cancel(account.id(), orderId, reason, revoke));
    }
}
