package io.certflow.order.ordering;

import io.certflow.events.v1.CertificateIssued;
import io.certflow.events.v1.IssuanceFailed;
import io.certflow.events.v1.PurchaseCancelled;
import io.certflow.events.v1.PurchaseCompleted;
import io.certflow.order.persistence.CancelledPurchaseRepository;
import io.certflow.order.persistence.OrderRepository;
import io.certflow.order.persistence.RejectedPurchaseRepository;
import io.certflow.platform.apply.AccountCheck;
import io.certflow.platform.apply.IdempotentApply;
import io.certflow.platform.messaging.RejectedEventException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The two ways an order comes in, with the same rules: an API call and an upstream purchase. Each
 * creates the order and requests its certificate in one document write; a purchase is answered at
 * most once per upstream order id, however often it is delivered: {@code PurchaseAccepted} in the
 * order's write, or {@code PurchaseRejected} in the write of a {@link RejectedPurchase}. A purchase
 * without domains waits for its application ({@link #applyFor}); an order can be cancelled
 * ({@link #cancel}); the certificate's issuance moves the order on ({@link #issued}).
 */
@Service
public class OrderService {

    private static final Logger log = LoggerFactory.getLogger(OrderService.class);

    private final OrderRepository orders;
    private final RejectedPurchaseRepository rejections;
    private final CancelledPurchaseRepository cancellations;
    private final OrderProperties properties;
    private final ProductCatalogue catalogue;
    private final IdempotentApply apply;
    private final Clock clock;

    public OrderService(OrderRepository orders, RejectedPurchaseRepository rejections,
                        CancelledPurchaseRepository cancellations, OrderProperties properties, IdempotentApply apply,
                        Clock clock) {
        this.orders = orders;
        this.rejections = rejections;
        this.cancellations = cancellations;
        this.properties = properties;
        this.catalogue = ProductCatalogue.of(properties);
        this.apply = apply;
        this.clock = clock;
    }

    /** The catalogue orders are checked against. */
    public ProductCatalogue catalogue() {
        return catalogue;
    }

    /** What became of a delivered purchase. */
    public enum PurchaseOutcome {
        /** Applied now: the order exists, its certificate is requested, {@code PurchaseAccepted} is on its way. */
        ACCEPTED,
        /** Refused now for a business reason: {@code PurchaseRejected} is on its way. */
        REJECTED,
        /** A replay of a purchase answered before: nothing changed, nothing is answered again. */
        ALREADY_ANSWERED
    }

    /**
     * Places an order for {@code accountId} from the API.
     *
     * @param product   the product, or null for the default
     * @param termYears the term, or null for one year
     * @param hosting   whether certflow renews it, or null for yes on a paid product, no on a free one
     * @throws InvalidOrderException if the input breaks a rule
     */
    public Order place(String accountId, List<String> domains, String product, Integer termYears, Boolean hosting) {
        return place(accountId, domains, product, termYears, hosting, KeyChoice.DEFAULT);
    }

    /**
     * Places an order for {@code accountId} from the API, with its key choice.
     *
     * @throws InvalidOrderException if the input breaks a rule
     */
    public Order place(String accountId, List<String> domains, String product, Integer termYears, Boolean hosting,
                       KeyChoice key) {
        return place(accountId, domains, product, termYears, hosting, key, null);
    }

    /**
     * Places an order for {@code accountId} from the API, with its key choice and verification method.
     *
     * @param method the verification method, or null for what each domain is set up for
     * @throws InvalidOrderException if the input breaks a rule
     */
    public Order place(String accountId, List<String> domains, String product, Integer termYears, Boolean hosting,
                       KeyChoice key, VerificationMethod method) {
        String code = product == null ? properties.defaultProduct() : product;
        boolean hosted = hosting != null ? hosting : catalogue.find(code).map(Product::paid).orElse(true);
        OrderTerms terms = OrderTerms.of(domains, code,
                termYears == null ? Integer.valueOf(OrderTerms.MIN_TERM_YEARS) : termYears, hosted,
                properties.maxDomains());
        Product sold = catalogue.check(terms);
        String orderId = Ids.orderId();
        Order order = Order.apply(orderId, orderId, accountId, Ids.certificateId(), terms, sold, key,
                method == null ? null : method.eventName(), OrderSource.API, null, clock.instant());
        Order saved = orders.insert(order);
        log.info("order {} placed for account {}: certificate {} for {}", orderId, accountId,
                saved.getCertificateId(), terms.domains());
        return saved;
    }

    /**
     * Applies an upstream purchase once and answers it once: the first delivery creates the order (and
     * requests the certificate, answering {@code PurchaseAccepted}) or, if the purchase breaks a rule,
     * records the refusal (answering {@code PurchaseRejected} with the rule's {@link ReasonCode}); a later
     * delivery of the same purchase changes nothing.
     *
     * @throws InvalidOrderException ({@link ReasonCode#CONFLICTING_DUPLICATE}) if the upstream order id was
     *                               answered before for a different purchase: the first answer stands, and
     *                               this purchase gets none (it is not a replay, and one order id gets one answer)
     */
    public PurchaseOutcome applyPurchase(PurchaseCompleted purchase) {
        String id = Order.upstreamId(purchase.orderId());
        Optional<Order> existing = orders.findById(id);
        if (existing.isPresent()) {
            return duplicate(existing.get(), purchase);
        }
        Optional<RejectedPurchase> refused = rejections.findById(purchase.orderId());
        if (refused.isPresent()) {
            return duplicate(refused.get(), purchase);
        }
        Optional<CancelledPurchase> cancelledFirst = cancellationOf(purchase);
        if (cancelledFirst.isPresent()) {
            return reject(purchase, new InvalidOrderException(ReasonCode.PURCHASE_CANCELLED, "upstream order '"
                    + purchase.orderId() + "' was cancelled (event " + cancelledFirst.get().event().eventId()
                    + ") before its purchase arrived; nothing was ordered"));
        }
        OrderTerms terms;
        Product product;
        try {
            terms = termsOf(purchase);
            product = catalogue.check(terms);
        } catch (InvalidOrderException e) {
            return reject(purchase, e);
        }
        Order order = terms.namesDomains()
                ? Order.apply(id, purchase.orderId(), purchase.accountId(), Ids.certificateId(), terms, product,
                        KeyChoice.DEFAULT, null, OrderSource.PURCHASE, purchase.eventId(), clock.instant())
                : Order.purchased(id, purchase.orderId(), purchase.accountId(), Ids.certificateId(), terms, product,
                        purchase.eventId(), clock.instant());
        try {
            Order saved = orders.insert(order);
            if (terms.namesDomains()) {
                log.info("purchase {} applied for account {}: certificate {} for {}", purchase.orderId(),
                        purchase.accountId(), saved.getCertificateId(), terms.domains());
            } else {
                log.info("purchase {} recorded for account {}: certificate {} waits for its application",
                        purchase.orderId(), purchase.accountId(), saved.getCertificateId());
            }
            // a cancellation read in the same instant, before the order existed, is applied now
            cancellationOf(purchase).ifPresent(c -> cancelOrder(id, c.event()));
            return PurchaseOutcome.ACCEPTED;
        } catch (DuplicateKeyException e) {
            Optional<Order> raced = orders.findById(id);
            if (raced.isPresent()) {
                return duplicate(raced.get(), purchase);
            }
            return reject(purchase, new InvalidOrderException(ReasonCode.CONFLICTING_DUPLICATE,
                    "order id '" + purchase.orderId() + "' is already used by another order"));
        }
    }

    private OrderTerms termsOf(PurchaseCompleted purchase) {
        if (!purchase.namesDomains()) {
            return OrderTerms.withoutNames(purchase.product(), purchase.termYears(), purchase.hosting());
        }
        return OrderTerms.of(purchase.domains(), purchase.product(), purchase.termYears(), purchase.hosting(),
                properties.maxDomains());
    }

    /**
     * The application of a purchase that named no domains: checks the names against the order's product and
     * requests the certificate, with the chosen verification method and key.
     *
     * @throws UnknownOrderException  if the account has no such order
     * @throws InvalidOrderException  if the names (or the key type) break a rule
     * @throws OrderStateException    if the order is not waiting for its application
     */
    public Order applyFor(String accountId, String orderId, List<String> domains, VerificationMethod method,
                          KeyChoice key) {
        return change(accountId, orderId, order -> {
            if (order.getStatus() != OrderStatus.PURCHASED) {
                throw new OrderStateException("order " + orderId + " is " + order.getStatus() + "; only a purchase that "
                        + "named no domains (PURCHASED) waits for its application");
            }
            OrderTerms terms = OrderTerms.of(domains, order.getProduct(), order.getTermYears(), order.isHosting(),
                    properties.maxDomains());
            catalogue.find(order.getProduct()).orElseGet(() -> new Product(order.getProduct(),
                    properties.maxDomains(), true, order.isPaid(), order.getCaProfile())).check(terms);
            order.applyWith(terms, key, method == null ? null : method.eventName(), clock.instant());
            log.info("order {} of account {} applied: certificate {} for {} ({})", orderId, accountId,
                    order.getCertificateId(), terms.domains(), method == null ? "verification as set up" : method);
        });
    }

    /**
     * Cancels an order of {@code accountId}: {@code OrderCancelled} (hosting and deployment stop; issuance revokes
     * the live certificate if {@code revoke}) in the same write.
     *
     * @throws UnknownOrderException if the account has no such order
     * @throws OrderStateException   if it is cancelled already
     */
    public Order cancel(String accountId, String orderId, String reason, boolean revoke) {
        return change(accountId, orderId, order -> {
            order.cancel(reason, revoke, clock.instant());
            log.info("order {} of account {} cancelled (revoke: {})", orderId, accountId, order.isRevokeRequested());
        });
    }

    /**
     * Upstream billing cancelled a purchase: its order is cancelled once ({@code OrderCancelled} unless it was never
     * applied); a cancellation of a purchase not seen yet is remembered, so that the purchase is rejected when it
     * comes; one of a purchase that was rejected changes nothing.
     *
     * @throws RejectedEventException if the order belongs to another account than the cancellation's
     */
    public void cancelPurchase(PurchaseCancelled event) {
        String id = Order.upstreamId(event.orderId());
        if (orders.existsById(id)) {
            cancelOrder(id, event);
            return;
        }
        if (rejections.existsById(event.orderId())) {
            log.info("PurchaseCancelled {}: purchase {} was rejected; nothing to cancel", event.eventId(), event.orderId());
            return;
        }
        try {
            cancellations.insert(CancelledPurchase.of(event));
            log.info("PurchaseCancelled {}: purchase {} not seen yet; it will be rejected when it comes",
                    event.eventId(), event.orderId());
        } catch (DuplicateKeyException e) {
            log.info("PurchaseCancelled {}: purchase {} was cancelled before already", event.eventId(), event.orderId());
        }
        if (orders.existsById(id)) {
            cancelOrder(id, event);
        }
    }

    private Optional<CancelledPurchase> cancellationOf(PurchaseCompleted purchase) {
        return cancellations.findById(purchase.orderId()).filter(c -> c.getAccountId().equals(purchase.accountId()));
    }

    private void cancelOrder(String id, PurchaseCancelled event) {
        apply.apply(Order.class, id, event, null, order -> {
            if (!order.getAccountId().equals(event.accountId())) {
                throw new RejectedEventException("upstream order " + event.orderId() + " belongs to another account than "
                        + "the cancellation's (" + event.accountId() + ")");
            }
            if (order.getStatus() == OrderStatus.CANCELLED) {
                log.info("PurchaseCancelled {}: order {} is cancelled already", event.eventId(), event.orderId());
                return;
            }
            String reason = event.reason() == null || event.reason().isBlank() ? "cancelled by upstream billing"
                    : event.reason().trim();
            order.cancel(reason.length() > 500 ? reason.substring(0, 500) + "…" : reason,
                    Boolean.TRUE.equals(event.revoke()), clock.instant());
            log.info("order {} of account {} cancelled by upstream billing (revoke: {})", event.orderId(),
                    event.accountId(), order.isRevokeRequested());
        });
    }

    /** A version of an order's certificate was issued: the order is issued or hosted. Idempotent per event. */
    public void issued(CertificateIssued event) {
        follow(event.certificateId(), event.accountId(), event, order -> order.issued(event));
    }

    /** An issuance attempt of an order's certificate failed: the order shows why. Idempotent per event. */
    public void issuanceFailed(IssuanceFailed event) {
        follow(event.certificateId(), event.accountId(), event, order -> order.issuanceFailed(event));
    }

    private void follow(String certificateId, String accountId, io.certflow.events.CertflowEvent event,
                        Consumer<Order> change) {
        Optional<Order> order = orders.findByCertificateId(certificateId);
        if (order.isEmpty()) {
            log.debug("{} {} is for certificate {}, which no order requested; ignored",
                    event.getClass().getSimpleName(), event.eventId(), certificateId);
            return;
        }
        apply.apply(Order.class, order.get().getId(), event, null, o -> {
            if (!o.getAccountId().equals(accountId)) {
                throw new RejectedEventException("certificate " + certificateId + " belongs to another account than "
                        + "the event's (" + accountId + ")");
            }
            change.accept(o);
        });
    }

    private Order change(String accountId, String orderId, Consumer<Order> change) {
        for (int attempt = 1; ; attempt++) {
            Order order = orders.findByOrderIdAndAccountId(orderId, accountId)
                    .orElseThrow(() -> new UnknownOrderException(orderId));
            change.accept(order);
            try {
                return orders.save(order);
            } catch (OptimisticLockingFailureException e) {
                if (attempt >= 5) {
                    throw new OrderStateException("order " + orderId + " is changing concurrently; try again");
                }
            }
        }
    }

    private PurchaseOutcome reject(PurchaseCompleted purchase, InvalidOrderException refusal) {
        try {
            rejections.insert(RejectedPurchase.of(purchase, refusal, clock.instant()));
        } catch (DuplicateKeyException e) {
            return duplicate(rejections.findById(purchase.orderId()).orElseThrow(() -> e), purchase);
        }
        log.info("purchase {} (event {}) for account {} rejected, {}: {}", purchase.orderId(), purchase.eventId(),
                purchase.accountId(), refusal.code(), refusal.getMessage());
        return PurchaseOutcome.REJECTED;
    }

    private PurchaseOutcome duplicate(Order existing, PurchaseCompleted purchase) {
        AccountCheck.requireOwner(existing.getAccountId(), "Order " + existing.getId(), purchase);
        boolean same;
        try {
            same = existing.sameAs(purchase.accountId(), termsOf(purchase));
        } catch (InvalidOrderException e) {
            same = false;
        }
        if (!same) {
            throw new InvalidOrderException(ReasonCode.CONFLICTING_DUPLICATE, "upstream order '" + purchase.orderId()
                    + "' was already applied (event " + existing.getPurchaseEventId()
                    + ") with different terms; the first purchase stands");
        }
        log.info("purchase {} (event {}) was already applied as certificate {}; nothing to do",
                purchase.orderId(), purchase.eventId(), existing.getCertificateId());
        return PurchaseOutcome.ALREADY_ANSWERED;
    }

    private static PurchaseOutcome duplicate(RejectedPurchase existing, PurchaseCompleted purchase) {
        AccountCheck.requireOwner(existing.getAccountId(), "RejectedPurchase " + existing.getId(), purchase);
        if (!existing.sameAs(purchase)) {
            throw new InvalidOrderException(ReasonCode.CONFLICTING_DUPLICATE, "upstream order '" + purchase.orderId()
                    + "' was already rejected (event " + existing.getPurchaseEventId() + ", " + existing.getReasonCode()
                    + ") and this purchase differs; the first answer stands");
        }
        log.info("purchase {} (event {}) was already rejected ({}); nothing to do", purchase.orderId(),
                purchase.eventId(), existing.getReasonCode());
        return PurchaseOutcome.ALREADY_ANSWERED;
    }
}
