package io.certflow.order.ordering;

import io.certflow.events.v1.CertificateIssued;
import io.certflow.events.v1.CertificateRequested;
import io.certflow.events.v1.IssuanceFailed;
import io.certflow.events.v1.OrderCancelled;
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

    private static final Product MULTI = new Product("dv-multi", 100, true, true, "paid-eab");

    private Order purchasedWithoutNames() {
        return Order.purchased(Order.upstreamId("o-3"), "o-3", "acc", "crt_3",
                OrderTerms.withoutNames("dv-multi", 2, true), MULTI, UUID.randomUUID(), clock.instant());
    }

    @Test
    void aPurchaseWithoutNamesIsAnsweredAndWaitsForItsApplication() {
        Order order = purchasedWithoutNames();

        assertThat(order.getStatus()).isEqualTo(OrderStatus.PURCHASED);
        assertThat(order.getDomains()).isEmpty();
        assertThat(order.getTermEndsAt()).isEqualTo(Instant.parse("2026-02-28T10:15:30Z"));
        assertThat(order.pendingEvents()).singleElement().satisfies(m -> {
            PurchaseAccepted accepted = (PurchaseAccepted) m.event();
            assertThat(accepted.status()).isEqualTo(PurchaseAccepted.AWAITING_APPLICATION);
            assertThat(accepted.domains()).isEmpty();
            assertThat(accepted.certificateId()).isEqualTo("crt_3");
        });
        assertThat(order.sameAs("acc", OrderTerms.withoutNames("dv-multi", 2, true))).isTrue();
        assertThat(order.sameAs("acc", OrderTerms.of(List.of("a.example"), "dv-multi", 2, true, 100))).isFalse();
    }

    @Test
    void theApplicationRequestsTheCertificateWithItsChoices() {
        Order order = purchasedWithoutNames();
        Instant later = clock.instant().plusSeconds(3600);

        order.applyWith(OrderTerms.of(List.of("b.example", "*.b.example"), "dv-multi", 2, true, 100),
                KeyChoice.of("EC_P384", true), VerificationMethod.DNS_PROVIDER.eventName(), later);

        assertThat(order.getStatus()).isEqualTo(OrderStatus.APPLIED);
        assertThat(order.getAppliedAt()).isEqualTo(later);
        CertificateRequested requested = (CertificateRequested) order.pendingEvents().get(1).event();
        assertThat(requested.certificateId()).isEqualTo("crt_3");
        assertThat(requested.domains()).containsExactly("b.example", "*.b.example");
        assertThat(requested.verificationMethod()).isEqualTo("DNS_PROVIDER");
        assertThat(requested.keyType()).isEqualTo("EC_P384");
        assertThat(requested.reuseKey()).isTrue();
        assertThat(requested.caProfile()).isEqualTo("paid-eab");
        assertThat(requested.termEndsAt()).as("the term runs from the purchase").isEqualTo(order.getTermEndsAt());
        assertThat(order.sameAs("acc", OrderTerms.withoutNames("dv-multi", 2, true)))
                .as("a replay of the purchase after the application").isTrue();
        assertThatThrownBy(() -> order.applyWith(OrderTerms.of(List.of("c.example"), "dv-multi", 2, true, 100),
                KeyChoice.DEFAULT, null, later)).isInstanceOf(OrderStateException.class).hasMessageContaining("APPLIED");
    }

    @Test
    void noApplicationAfterTheTermEnded() {
        Order order = purchasedWithoutNames();

        assertThatThrownBy(() -> order.applyWith(OrderTerms.of(List.of("c.example"), "dv-multi", 2, true, 100),
                KeyChoice.DEFAULT, null, order.getTermEndsAt())).isInstanceOf(OrderStateException.class)
                .hasMessageContaining("term ended");
    }

    @Test
    void issuanceMakesAnOrderHostedOrIssued() {
        Order hosted = Order.apply("ord_h", "ord_h", "acc", "crt_h",
                OrderTerms.of(List.of("h.example"), "dv-single", 1, true, 100), OrderSource.API, null, clock.instant());
        Order unhosted = Order.apply("ord_u", "ord_u", "acc", "crt_u",
                OrderTerms.of(List.of("u.example"), "dv-single", 1, false, 100), OrderSource.API, null, clock.instant());

        hosted.issuanceFailed(new IssuanceFailed(UUID.randomUUID(), clock.instant(), "acc", "crt_h", "att", "CAA forbids",
                null, true));
        assertThat(hosted.getLastFailure()).isEqualTo("CAA forbids (retried)");
        hosted.issued(issued("crt_h", "0a", clock.instant()));
        unhosted.issued(issued("crt_u", "0b", clock.instant()));

        assertThat(hosted.getStatus()).isEqualTo(OrderStatus.HOSTED);
        assertThat(hosted.getLastFailure()).isNull();
        assertThat(hosted.getSerialNumber()).isEqualTo("0a");
        assertThat(hosted.getCertificatesIssued()).isEqualTo(1);
        assertThat(unhosted.getStatus()).isEqualTo(OrderStatus.ISSUED);
        hosted.issued(issued("crt_h", "0c", clock.instant().plusSeconds(86400 * 60)));
        hosted.issued(issued("crt_h", "09", clock.instant().minusSeconds(60)));
        assertThat(hosted.getSerialNumber()).as("an older version arriving late does not replace the newer")
                .isEqualTo("0c");
        assertThat(hosted.getCertificatesIssued()).isEqualTo(3);
    }

    @Test
    void cancellingStopsTheCertificateAndHappensOnce() {
        Order order = Order.apply("ord_c", "ord_c", "acc", "crt_c",
                OrderTerms.of(List.of("c.example"), "dv-single", 1, true, 100), OrderSource.API, null, clock.instant());

        order.cancel("refunded", true, clock.instant());

        assertThat(order.getStatus()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(order.isActiveAt(clock.instant())).isFalse();
        OrderCancelled cancelled = (OrderCancelled) order.pendingEvents().get(1).event();
        assertThat(cancelled.certificateId()).isEqualTo("crt_c");
        assertThat(cancelled.orderId()).isEqualTo("ord_c");
        assertThat(cancelled.reason()).isEqualTo("refunded");
        assertThat(cancelled.revoke()).isTrue();
        assertThatThrownBy(() -> order.cancel(null, false, clock.instant())).isInstanceOf(OrderStateException.class);
        order.issued(issued("crt_c", "0d", clock.instant()));
        assertThat(order.getStatus()).as("a version issued after the cancellation").isEqualTo(OrderStatus.CANCELLED);
    }

    @Test
    void cancellingAPurchaseNeverAppliedHasNothingDownstreamToStop() {
        Order order = purchasedWithoutNames();

        order.cancel(null, true, clock.instant());

        assertThat(order.getStatus()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(order.isRevokeRequested()).isFalse();
        assertThat(order.pendingEvents()).hasSize(1).noneMatch(m -> m.event() instanceof OrderCancelled);
        assertThatThrownBy(() -> order.applyWith(OrderTerms.of(List.of("c.example"), "dv-multi", 2, true, 100),
                KeyChoice.DEFAULT, null, clock.instant())).isInstanceOf(OrderStateException.class);
    }

    @Test
    void verificationMethodsAreNamedOrRefused() {
        assertThat(VerificationMethod.parse("cname-delegation")).isEqualTo(VerificationMethod.CNAME_DELEGATION);
        assertThat(VerificationMethod.parse("dns")).isEqualTo(VerificationMethod.DNS_PROVIDER);
        assertThat(VerificationMethod.parse(" ")).isNull();
        assertThatThrownBy(() -> VerificationMethod.parse("http-01")).isInstanceOf(InvalidOrderException.class)
                .hasMessageContaining("'http-01' is not one of CNAME_DELEGATION, DNS_PROVIDER")
                .satisfies(e -> assertThat(((InvalidOrderException) e).code())
                        .isEqualTo(ReasonCode.INVALID_VERIFICATION_METHOD));
    }

    private static CertificateIssued issued(String certificateId, String serial, Instant notBefore) {
        return new CertificateIssued(UUID.randomUUID(), notBefore, "acc", certificateId, "att", serial, "ff",
                notBefore, notBefore.plusSeconds(86400 * 90), List.of("x.example"), "CN=Test CA", "PEM", null);
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
