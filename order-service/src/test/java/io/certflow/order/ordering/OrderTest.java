package io.certflow.order.ordering;

import io.certflow.events.v1.CertificateRequested;
import io.certflow.events.v1.PurchaseAccepted;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OrderTest {

    private final Clock clock = Clock.fixed(Instant.parse("2024-02-29T10:15:30Z"), ZoneOffset.UTC);

    @Test
    void applyingAnOrderRequestsItsCertificateInTheSameWrite() {
        OrderTerms terms = OrderTerms.of(List.of("WWW.Example.com.", "example.com"), "dv-single", 2, true, 100);

        Order order = Order.apply("ord_1", "ord_1", "acc", "crt_1", terms, OrderSource.API, null, clock.instant());

        assertThat(order.getStatus()).isEqualTo(OrderStatus.APPLIED);
        assertThat(order.getTermEndsAt()).isEqualTo(Instant.parse("2026-02-28T10:15:30Z"));
        assertThat(order.pendingEvents()).hasSize(1);
        CertificateRequested requested = (CertificateRequested) order.pendingEvents().get(0).event();
        assertThat(requested.certificateId()).isEqualTo("crt_1");
        assertThat(requested.orderId()).isEqualTo("ord_1");
        assertThat(requested.accountId()).isEqualTo("acc");
        assertThat(requested.domains()).containsExactly("www.example.com", "example.com");
        assertThat(requested.termYears()).isEqualTo(2);
        assertThat(requested.termEndsAt()).isEqualTo(order.getTermEndsAt());
        assertThat(requested.hosting()).isTrue();
        assertThat(requested.occurredAt()).isEqualTo(clock.instant());
    }

    @Test
    void applyingAPurchaseAlsoAnswersItInTheSameWrite() {
        OrderTerms terms = OrderTerms.of(List.of("shop.example", "*.shop.example"), "dv-wildcard", 1, true, 100);

        Order order = Order.apply(Order.upstreamId("up-7"), "up-7", "acc", "crt_7", terms, "paid-eab",
                KeyChoice.DEFAULT, OrderSource.PURCHASE, UUID.randomUUID(), clock.instant());

        assertThat(order.getCaProfile()).isEqualTo("paid-eab");
        assertThat(order.pendingEvents()).hasSize(2);
        CertificateRequested requested = (CertificateRequested) order.pendingEvents().get(0).event();
        assertThat(requested.caProfile()).isEqualTo("paid-eab");
        PurchaseAccepted accepted = (PurchaseAccepted) order.pendingEvents().get(1).event();
        assertThat(accepted.orderId()).isEqualTo("up-7");
        assertThat(accepted.subject()).isEqualTo("up-7");
        assertThat(accepted.certificateId()).isEqualTo("crt_7");
        assertThat(accepted.accountId()).isEqualTo("acc");
        assertThat(accepted.domains()).containsExactly("shop.example", "*.shop.example");
        assertThat(accepted.termEndsAt()).isEqualTo(order.getTermEndsAt());
        assertThat(accepted.occurredAt()).isEqualTo(clock.instant());
    }

    @Test
    void aTermEndsTheSameDayYearsLater() {
        OrderTerms one = OrderTerms.of(List.of("example.com"), "dv-single", 1, false, 100);
        OrderTerms three = OrderTerms.of(List.of("example.com"), "dv-single", 3, false, 100);
        Instant start = Instant.parse("2025-06-01T00:00:00Z");

        assertThat(one.termEndsAt(start)).isEqualTo(Instant.parse("2026-06-01T00:00:00Z"));
        assertThat(three.termEndsAt(start)).isEqualTo(Instant.parse("2028-06-01T00:00:00Z"));
    }

    @Test
    void termsAreOneToThreeYears() {
        assertThatThrownBy(() -> OrderTerms.of(List.of("example.com"), "dv-single", 0, true, 100))
                .isInstanceOf(InvalidOrderException.class).hasMessageContaining("termYears: 0");
        assertThatThrownBy(() -> OrderTerms.of(List.of("example.com"), "dv-single", 4, true, 100))
                .hasMessageContaining("1 to 3 years");
        assertThatThrownBy(() -> OrderTerms.of(List.of("example.com"), "dv-single", null, true, 100))
                .hasMessageContaining("termYears");
        assertThatThrownBy(() -> OrderTerms.of(List.of("example.com"), " ", 1, true, 100))
                .hasMessageContaining("product");
    }

    @Test
    void aRepeatedPurchaseIsRecognizedByItsTerms() {
        OrderTerms terms = OrderTerms.of(List.of("example.com"), "dv-single", 1, true, 100);
        Order order = Order.apply(Order.upstreamId("o-1"), "o-1", "acc", "crt_1", terms, OrderSource.PURCHASE,
                UUID.randomUUID(), clock.instant());

        assertThat(order.getId()).isEqualTo("upstream:o-1");
        assertThat(order.sameAs("acc", OrderTerms.of(List.of("EXAMPLE.com."), "dv-single", 1, true, 100))).isTrue();
        assertThat(order.sameAs("acc", OrderTerms.of(List.of("example.com", "www.example.com"), "dv-single", 1, true, 100)))
                .isFalse();
        assertThat(order.sameAs("acc", OrderTerms.of(List.of("example.com"), "dv-single", 2, true, 100))).isFalse();
        assertThat(order.sameAs("other", terms)).isFalse();
    }

    @Test
    void theNamesOfARepeatedPurchaseMayComeInAnyOrder() {
        OrderTerms terms = OrderTerms.of(List.of("a.example", "b.example"), "dv-single", 1, false, 100);
        Order order = Order.apply(Order.upstreamId("o-2"), "o-2", "acc", "crt_2", terms, OrderSource.PURCHASE,
                UUID.randomUUID(), clock.instant());

        assertThat(order.sameAs("acc", OrderTerms.of(List.of("b.example", "a.example"), "dv-single", 1, false, 100)))
                .isTrue();
    }

    @Test
    void idsAreUnguessable() {
        String a = Ids.certificateId();
        String b = Ids.certificateId();
        assertThat(a).startsWith("crt_").hasSize(4 + 26).matches("crt_[a-z2-7]{26}");
        assertThat(a).isNotEqualTo(b);
        assertThat(Ids.orderId()).matches("ord_[a-z2-7]{26}");
    }
}
