package io.certflow.order.ordering;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProductCatalogueTest {

    private final ProductCatalogue catalogue = ProductCatalogue.of(new OrderProperties("dv-single", 100, Map.of()));

    private static OrderTerms terms(String product, boolean hosting, String... domains) {
        return OrderTerms.of(List.of(domains), product, 1, hosting, 100);
    }

    private static void refused(ProductCatalogue catalogue, OrderTerms terms, ReasonCode code, String message) {
        assertThatThrownBy(() -> catalogue.check(terms)).isInstanceOf(InvalidOrderException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((InvalidOrderException) e).code()).isEqualTo(code));
    }

    @Test
    void theBuiltInProducts() {
        assertThat(catalogue.all()).extracting(Product::code)
                .containsExactly("dv-single", "dv-wildcard", "dv-multi", "dv-free");
        assertThat(catalogue.find("dv-single")).contains(new Product("dv-single", 1, false, true, null));
        assertThat(catalogue.find("dv-wildcard")).contains(new Product("dv-wildcard", 2, true, true, null));
        assertThat(catalogue.find("dv-multi")).contains(new Product("dv-multi", 100, true, true, null));
        assertThat(catalogue.find("dv-free")).contains(new Product("dv-free", 1, false, false, null));
    }

    @Test
    void dvSingleCoversOneNameWithoutWildcard() {
        assertThat(catalogue.check(terms("dv-single", true, "www.example.com")).code()).isEqualTo("dv-single");
        refused(catalogue, terms("dv-single", true, "www.example.com", "example.com"), ReasonCode.TOO_MANY_DOMAINS,
                "product 'dv-single' covers at most 1 name");
        refused(catalogue, terms("dv-single", true, "*.example.com"), ReasonCode.WILDCARD_NOT_IN_PRODUCT,
                "domains[0]: '*.example.com' is a wildcard");
    }

    @Test
    void dvWildcardCoversTheApexAndItsWildcard() {
        assertThat(catalogue.check(terms("dv-wildcard", true, "example.com", "*.example.com")).code())
                .isEqualTo("dv-wildcard");
        refused(catalogue, terms("dv-wildcard", true, "example.com", "*.example.com", "www.example.org"),
                ReasonCode.TOO_MANY_DOMAINS, "at most 2 names");
    }

    @Test
    void dvMultiCoversUpToTheConfiguredMaximum() {
        ProductCatalogue small = ProductCatalogue.of(new OrderProperties("dv-single", 3, Map.of()));
        assertThat(small.check(OrderTerms.of(List.of("a.example", "*.b.example", "c.example"), "dv-multi", 1, true, 3))
                .maxDomains()).isEqualTo(3);
        List<String> hundred = IntStream.range(0, 100).mapToObj(i -> "n" + i + ".example").toList();
        assertThat(catalogue.check(OrderTerms.of(hundred, "dv-multi", 1, true, 100)).code()).isEqualTo("dv-multi");
    }

    @Test
    void aFreeProductCannotBeHosted() {
        assertThat(catalogue.check(terms("dv-free", false, "free.example")).paid()).isFalse();
        refused(catalogue, terms("dv-free", true, "free.example"), ReasonCode.HOSTING_NOT_IN_PRODUCT,
                "product 'dv-free' is free and cannot be hosted");
    }

    @Test
    void anUnknownProductIsRefusedNamingTheProductsSold() {
        refused(catalogue, terms("ev-gold", true, "example.com"), ReasonCode.UNKNOWN_PRODUCT,
                "'ev-gold' is not a product; products are dv-single, dv-wildcard, dv-multi, dv-free");
    }

    @Test
    void configurationOverridesSingleSettingsAndAddsProducts() {
        ProductCatalogue configured = ProductCatalogue.of(new OrderProperties("dv-single", 50, Map.of(
                "dv-wildcard", new OrderProperties.ProductSettings(null, null, null, "paid-eab"),
                "dv-free", new OrderProperties.ProductSettings(null, null, null, "letsencrypt"),
                "ov-multi", new OrderProperties.ProductSettings(500, true, null, " sectigo-ov "),
                "dv-basic", new OrderProperties.ProductSettings(null, null, null, null))));

        assertThat(configured.find("dv-wildcard")).contains(new Product("dv-wildcard", 2, true, true, "paid-eab"));
        assertThat(configured.find("dv-free")).contains(new Product("dv-free", 1, false, false, "letsencrypt"));
        assertThat(configured.find("ov-multi")).as("capped at max-domains")
                .contains(new Product("ov-multi", 50, true, true, "sectigo-ov"));
        assertThat(configured.find("dv-basic")).contains(new Product("dv-basic", 1, false, true, null));
        assertThat(configured.find("dv-single")).contains(new Product("dv-single", 1, false, true, null));
    }

    @Test
    void aBadConfigurationFailsAtStartUp() {
        assertThatThrownBy(() -> ProductCatalogue.of(new OrderProperties("dv-single", 100, Map.of(
                "broken", new OrderProperties.ProductSettings(-1, null, null, null)))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("certflow.order.products.broken");
    }

    @Test
    void syntaxAndTermRefusalsCarryTheirCodes() {
        assertCode(() -> OrderTerms.of(List.of("exa mple.com"), "dv-single", 1, true, 100), ReasonCode.INVALID_DOMAIN);
        assertCode(() -> OrderTerms.of(List.of("*.*.example.com"), "dv-multi", 1, true, 100), ReasonCode.INVALID_DOMAIN);
        assertCode(() -> OrderTerms.of(List.of("a".repeat(64) + ".example"), "dv-single", 1, true, 100),
                ReasonCode.INVALID_DOMAIN);
        assertCode(() -> OrderTerms.of(List.of("example.com", "co.uk"), "dv-multi", 1, true, 100), ReasonCode.PUBLIC_SUFFIX);
        assertCode(() -> OrderTerms.of(List.of("*.co.uk"), "dv-wildcard", 1, true, 100), ReasonCode.PUBLIC_SUFFIX);
        List<String> many = IntStream.range(0, 101).mapToObj(i -> "n" + i + ".example").toList();
        assertCode(() -> OrderTerms.of(many, "dv-multi", 1, true, 100), ReasonCode.TOO_MANY_DOMAINS);
        assertCode(() -> OrderTerms.of(List.of("example.com"), "dv-single", 0, true, 100), ReasonCode.INVALID_TERM);
        assertCode(() -> OrderTerms.of(List.of("example.com"), "dv-single", 4, true, 100), ReasonCode.INVALID_TERM);
        assertCode(() -> OrderTerms.of(List.of("example.com"), "dv-single", null, true, 100), ReasonCode.INVALID_TERM);
        assertCode(() -> OrderTerms.of(List.of("example.com"), "no such product!", 1, true, 100),
                ReasonCode.UNKNOWN_PRODUCT);
    }

    private static void assertCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, ReasonCode code) {
        assertThatThrownBy(call).isInstanceOf(InvalidOrderException.class)
                .satisfies(e -> assertThat(((InvalidOrderException) e).code()).isEqualTo(code));
    }
}
