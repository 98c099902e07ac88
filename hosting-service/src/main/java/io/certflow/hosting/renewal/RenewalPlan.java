package io.certflow.hosting.renewal;

import java.time.Instant;
import java.util.List;

/**
 * When a certificate is renewed next, and why, in the order the checks of {@link RenewalPolicy} decided
 * it ("one third of the lifetime remains (2026-03-01T10:00:00Z)", "moved 5 h 12 min earlier: jitter …").
 *
 * @param at      the moment the renewal may start; null when none is planned
 * @param reasons each check that set or moved it, for people; never empty
 */
public record RenewalPlan(Instant at, List<String> reasons) {

    public RenewalPlan {
        reasons = List.copyOf(reasons);
    }

    /** No renewal, for {@code reason}. */
    static RenewalPlan none(String reason) {
        return new RenewalPlan(null, List.of(reason));
    }

    /** Whether a renewal is planned. */
    public boolean planned() {
        return at != null;
    }

    /** The reasons as one line, as {@code RenewalDue.reason} carries them. */
    public String summary() {
        return String.join("; ", reasons);
    }
}
