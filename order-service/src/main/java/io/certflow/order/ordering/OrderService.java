package io.certflow.order.ordering;

import io.certflow.events.v1.PurchaseCompleted;
import io.certflow.order.persistence.OrderRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The two ways an order comes in, with the same rules: an API call and an upstream purchase. Each
 * creates the order and requests its certificate in one document write; a purchase is applied at
 * most once per upstream order id, however often it is delivered.
 */
@Service
public class OrderService {

    private static final Logger log = LoggerFactory.getLogger(OrderService.class);

    private final OrderRepository orders;
    private final OrderProperties properties;
    private final Clock clock;

    public OrderService(OrderRepository orders, OrderProperties properties, Clock clock) {
        this.orders = orders;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Places an order for {@code accountId} from the API.
     *
     * @param product   the product, or null for the default
     * @param termYears the term, or null for one year
     * @param hosting   whether certflow renews it, or null for yes
     * @throws InvalidOrderException if the input breaks a rule
     */
    public Order place(String accountId, List<String> domains, String product, Integer termYears, Boolean hosting) {
        OrderTerms terms = OrderTerms.of(domains, product == null ? properties.defaultProduct() : product,
                termYears == null ? Integer.valueOf(OrderTerms.MIN_TERM_YEARS) : termYears,
                hosting == null || hosting, properties.maxDomains());
        String orderId = Ids.orderId();
        Order order = Order.apply(orderId, orderId, accountId, Ids.certificateId(), terms, OrderSource.API, null,
                clock.instant());
        Order saved = orders.insert(order);
        log.info("order {} placed for account {}: certificate {} for {}", orderId, accountId,
                saved.getCertificateId(), terms.domains());
        return saved;
    }

    /**
     * Applies an upstream purchase once: the first delivery creates the order (and requests the
     * certificate); a later delivery of the same upstream order id changes nothing.
     *
     * @return the new order, or empty if the purchase had been applied before
     * @throws InvalidOrderException if the purchase breaks a rule, or repeats an upstream order id with
     *                               different terms
     */
    public Optional<Order> applyPurchase(PurchaseCompleted purchase) {
        OrderTerms terms = OrderTerms.of(purchase.domains(), purchase.product(), purchase.termYears(),
                purchase.hosting(), properties.maxDomains());
        String id = Order.upstreamId(purchase.orderId());
        Optional<Order> existing = orders.findById(id);
        if (existing.isPresent()) {
            return duplicate(existing.get(), purchase, terms);
        }
        Order order = Order.apply(id, purchase.orderId(), purchase.accountId(), Ids.certificateId(), terms,
                OrderSource.PURCHASE, purchase.eventId(), clock.instant());
        try {
            Order saved = orders.insert(order);
            log.info("purchase {} applied for account {}: certificate {} for {}", purchase.orderId(),
                    purchase.accountId(), saved.getCertificateId(), terms.domains());
            return Optional.of(saved);
        } catch (DuplicateKeyException e) {
            Order raced = orders.findById(id).orElseThrow(() -> new InvalidOrderException(
                    "order id '" + purchase.orderId() + "' is already used by another order"));
            return duplicate(raced, purchase, terms);
        }
    }

    private static Optional<Order> duplicate(Order existing, PurchaseCompleted purchase, OrderTerms terms) {
        if (!existing.sameAs(purchase.accountId(), terms)) {
            throw new InvalidOrderException("upstream order '" + purchase.orderId() + "' was already applied (event "
                    + existing.getPurchaseEventId() + ") with different terms; the first purchase stands");
        }
        log.info("purchase {} (event {}) was already applied as certificate {}; nothing to do",
                purchase.orderId(), purchase.eventId(), existing.getCertificateId());
        return Optional.empty();
    }
}
