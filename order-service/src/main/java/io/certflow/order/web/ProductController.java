package io.certflow.order.web;

import io.certflow.order.ordering.OrderService;
import io.certflow.order.ordering.OrderTerms;
import io.certflow.order.ordering.Product;
import io.certflow.platform.web.Account;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/**
 * The product catalogue as callers and billing integrators see it, so that what an order or purchase may
 * contain (names, wildcards, hosting, terms, CA profile) is read from the service, not guessed.
 */
@RestController
@RequestMapping("/api/v1/products")
public class ProductController {

    private final OrderService orders;

    public ProductController(OrderService orders) {
        this.orders = orders;
    }

    /**
     * One product.
     *
     * @param code         the product code
     * @param maxDomains   the most distinct names one order may certify
     * @param wildcard     whether wildcard names are allowed
     * @param paid         whether it is paid; only paid products can be hosted
     * @param caProfile    the CA profile it is issued with (absent: the default profile)
     * @param minTermYears shortest term
     * @param maxTermYears longest term
     */
    public record ProductView(String code, int maxDomains, boolean wildcard, boolean paid, String caProfile,
                              int minTermYears, int maxTermYears) {

        static ProductView of(Product product) {
            return new ProductView(product.code(), product.maxDomains(), product.wildcard(), product.paid(),
                    product.caProfile(), OrderTerms.MIN_TERM_YEARS, OrderTerms.MAX_TERM_YEARS);
        }
    }

    @GetMapping
    public List<ProductView> list(Account account) {
        return orders.catalogue().all().stream().map(ProductView::of).toList();
    }
}
