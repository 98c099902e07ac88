package io.certflow.order.web;

import io.certflow.order.ordering.InvalidOrderException;
import io.certflow.order.ordering.KeyChoice;
import io.certflow.order.ordering.Order;
import io.certflow.order.ordering.OrderService;
import io.certflow.order.persistence.OrderRepository;
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

/** The order API: place an order and read it back, always within the caller's account. */
@RestController
@RequestMapping("/api/v1/orders")
public class OrderController {

    private final OrderService orders;
    private final OrderRepository repository;

    public OrderController(OrderService orders, OrderRepository repository) {
        this.orders = orders;
        this.repository = repository;
    }

    @PostMapping
    public ResponseEntity<OrderView> place(Account account, @RequestBody CreateOrderRequest request) {
        Order order;
        try {
            order = orders.place(account.id(), request.domains(), request.product(), request.termYears(),
                    request.hosting(), KeyChoice.of(request.keyType(), request.reuseKey()));
        } catch (InvalidOrderException e) {
            throw new BadRequestException(e.getMessage());
        }
        return ResponseEntity.created(URI.create("/api/v1/orders/" + order.getOrderId())).body(OrderView.of(order));
    }

    @GetMapping("/{orderId}")
    public OrderView get(Account account, @PathVariable String orderId) {
        return repository.findByOrderIdAndAccountId(orderId, account.id()).map(OrderView::of)
                .orElseThrow(() -> new NotFoundException("No order " + orderId + "."));
    }
}
