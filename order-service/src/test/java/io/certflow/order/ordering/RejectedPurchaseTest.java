package io.certflow.order.ordering;

import io.certflow.events.v1.PurchaseCompleted;
import io.certflow.events.v1.PurchaseRejected;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class RejectedPurchaseTest {

    private static final Instant NOW = Instant.parse("2026-11-27T10:15:30Z");

    private static PurchaseCompleted purchase(String account, List<String> domains, int termYears) {
        return new PurchaseCompleted(UUID.randomUUID(), NOW, account, "up-9", "dv-single", domains, termYears, true);
    }

    @Test
    void aRefusalIsAnsweredInTheSameWrite() {
        PurchaseCompleted purchase = purchase("acc", List.of("exa mple.com"), 1);
        InvalidOrderException refusal = new InvalidOrderException(ReasonCode.INVALID_DOMAIN, "domains[0]: 'exa mple.com': bad");

        RejectedPurchase rejected = RejectedPurchase.of(purchase, refusal, NOW);

        assertThat(rejected.getId()).isEqualTo("up-9");
        assertThat(rejected.hasApplied(purchase.eventId())).isTrue();
        assertThat(rejected.pendingEvents()).singleElement().satisfies(m -> {
            PurchaseRejected answer = (PurchaseRejected) m.event();
            assertThat(answer.orderId()).isEqualTo("up-9");
            assertThat(answer.subject()).isEqualTo("up-9");
            assertThat(answer.accountId()).isEqualTo("acc");
            assertThat(answer.reasonCode()).isEqualTo("INVALID_DOMAIN");
            assertThat(answer.reason()).isEqualTo("domains[0]: 'exa mple.com': bad");
            assertThat(answer.occurredAt()).isEqualTo(NOW);
        });
    }

    @Test
    void aReplayIsToldFromADifferentPurchase() {
        RejectedPurchase rejected = RejectedPurchase.of(purchase("acc", List.of("WWW.example.com", "exa mple.com"), 4),
                new InvalidOrderException(ReasonCode.INVALID_TERM, "termYears: 4"), NOW);

        assertThat(rejected.sameAs(purchase("acc", List.of("exa mple.com", "www.example.com."), 4))).isTrue();
        assertThat(rejected.sameAs(purchase("acc", List.of("www.example.com"), 4))).isFalse();
        assertThat(rejected.sameAs(purchase("acc", List.of("WWW.example.com", "exa mple.com"), 1))).isFalse();
        assertThat(rejected.sameAs(purchase("other", List.of("WWW.example.com", "exa mple.com"), 4))).isFalse();
    }
}
