package io.certflow.hosting.renewal;

import io.certflow.hosting.maintenance.MaintenanceWindows;
import io.certflow.platform.maintenance.MaintenanceSchedule;
import io.certflow.hosting.managing.RenewalWindow;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * When a certificate is renewed next, as an ordered list of checks, each leaving a reason a person can
 * read (pure: no clock, no store; cert-manager decides renewals the same way):
 * <ol>
 *   <li>not hosted, paused, or not issued yet: no renewal;</li>
 *   <li>after a failed renewal: the last failure plus a wait of 1 h, doubling up to 32 h;</li>
 *   <li>else inside the renewal window the CA suggests (RFC 9773 ARI), at a random moment of it;</li>
 *   <li>else a fixed time before expiry ({@code renewBefore}), or when a share of the lifetime remains
 *       (default one third), moved earlier by a jitter of up to a share of the lifetime, so that
 *       certificates issued together do not renew together;</li>
 *   <li>out of the account's maintenance windows, unless the certificate would expire first;</li>
 *   <li>never at or after the end of the paid term: then the live version is the term's last.</li>
 * </ol>
 * Random choices are seeded by the certificate and its serial, so planning again from the same facts gives
 * the same moment: a replayed event or a second instance never moves a renewal.
 */
public final class RenewalPolicy {

    private static final double ONE_THIRD = 1.0 / 3.0;

    private final double remainingShare;
    private final Duration renewBefore;
    private final double jitterShare;
    private final Duration initialBackoff;
    private final Duration maxBackoff;

    /**
     * @param remainingShare renew when this share of the lifetime remains (0 &lt; share &lt; 1)
     * @param renewBefore    renew this long before expiry instead; null to use the share. A certificate whose
     *                       lifetime is not longer than this falls back to the share
     * @param jitterShare    move each renewal earlier by up to this share of the lifetime (0: none)
     * @param initialBackoff wait after the first failure
     * @param maxBackoff     longest wait
     */
    public RenewalPolicy(double remainingShare, Duration renewBefore, double jitterShare, Duration initialBackoff,
                         Duration maxBackoff) {
        if (!(remainingShare > 0 && remainingShare < 1)) {
            throw new IllegalArgumentException("remaining share must be between 0 and 1");
        }
        if (!(jitterShare >= 0 && jitterShare + remainingShare < 1)) {
            throw new IllegalArgumentException("jitter share must be at least 0, and with the remaining share below 1");
        }
        if (renewBefore != null && (renewBefore.isNegative() || renewBefore.isZero())) {
            throw new IllegalArgumentException("renew-before must be positive");
        }
        this.remainingShare = remainingShare;
        this.renewBefore = renewBefore;
        this.jitterShare = jitterShare;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
    }

    /** The defaults: a third of the lifetime, up to 5% of it earlier, 1 h doubling to 32 h after failures. */
    public static RenewalPolicy defaults() {
        return new RenewalPolicy(0.3333, null, 0.05, Duration.ofHours(1), Duration.ofHours(32));
    }

    /** The same policy without jitter (for tests that want the plain share). */
    public RenewalPolicy withoutJitter() {
        return new RenewalPolicy(remainingShare, renewBefore, 0, initialBackoff, maxBackoff);
    }

    /**
     * Plans the next renewal.
     *
     * @param facts   the certificate
     * @param windows the account's maintenance windows
     * @param now     the present, for maintenance windows of a renewal already due
     */
    public RenewalPlan plan(RenewalFacts facts, MaintenanceWindows windows, Instant now) {
        if (!facts.hosting()) {
            return RenewalPlan.none("ordered without hosting: certflow does not renew it");
        }
        if (facts.paused()) {
            return RenewalPlan.none("hosting is paused: nothing is renewed until it is resumed");
        }
        if (facts.serialNumber() == null || facts.notBefore() == null || facts.notAfter() == null) {
            return RenewalPlan.none("not issued yet");
        }
        List<String> reasons = new ArrayList<>();
        Instant at = facts.failures() > 0 ? retry(facts, now, reasons)
                : facts.window() != null ? inWindow(facts, reasons)
                : byLifetime(facts, reasons);
        MaintenanceSchedule.Outcome allowed = windows.firstAllowed(at.isBefore(now) ? now : at);
        if (allowed.moved()) {
            if (allowed.at().isBefore(facts.notAfter())) {
                at = allowed.at();
                reasons.add("moved out of the maintenance window " + allowed.window().describe() + " to " + at);
            } else {
                reasons.add("inside the maintenance window " + allowed.window().describe()
                        + ", kept: the certificate expires before the window ends");
            }
        }
        if (facts.termEndsAt() != null && !at.isBefore(facts.termEndsAt())) {
            return RenewalPlan.none("the paid term ends at " + facts.termEndsAt() + ", before the renewal would start ("
                    + at + "): serial " + facts.serialNumber() + " is the last version of the term");
        }
        return new RenewalPlan(at, reasons);
    }

    /** When the share of the lifetime of a certificate valid from {@code notBefore} to {@code notAfter} remains. */
    public Instant renewalTime(Instant notBefore, Instant notAfter) {
        return notAfter.minusMillis(Math.round(lifetime(notBefore, notAfter).toMillis() * remainingShare));
    }

    /** The wait after {@code failures} consecutive failed renewals (1 or more). */
    public Duration backoff(int failures) {
        Duration wait = initialBackoff;
        for (int i = 1; i < failures && wait.compareTo(maxBackoff) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }

    /** Why a renewal planned by the share of the lifetime is due, for people. */
    public String shareReason() {
        String share = Math.abs(remainingShare - ONE_THIRD) < 0.001 ? "one third"
                : String.format(Locale.ROOT, "%.1f%%", remainingShare * 100).replace(".0%", "%");
        return share + " of the lifetime remains";
    }

    private Instant retry(RenewalFacts facts, Instant now, List<String> reasons) {
        Duration wait = backoff(facts.failures());
        Instant at = (facts.lastFailureAt() != null ? facts.lastFailureAt() : now).plus(wait);
        reasons.add("retry " + facts.failures() + " after a failed renewal, " + Readable.duration(wait) + " after it: "
                + (facts.lastFailure() != null ? facts.lastFailure() : "reason unknown"));
        return at;
    }

    /**
     * A random moment inside the CA's window (RFC 9773 §4.2), cut at the end of the paid term; a moment
     * already past means now.
     */
    private Instant inWindow(RenewalFacts facts, List<String> reasons) {
        RenewalWindow window = facts.window();
        Instant to = facts.termEndsAt() != null && facts.termEndsAt().isBefore(window.end()) ? facts.termEndsAt()
                : window.end();
        long span = Duration.between(window.start(), to).toMillis();
        Instant at = span <= 0 ? window.start()
                : window.start().plusMillis(seeded(facts, window.start().toString()).nextLong(span));
        reasons.add("inside the renewal window the CA suggests (" + window.start() + " to " + window.end() + ")"
                + (window.explanationUrl() == null ? "" : "; the CA explains: " + window.explanationUrl()));
        return at;
    }

    private Instant byLifetime(RenewalFacts facts, List<String> reasons) {
        Duration lifetime = lifetime(facts.notBefore(), facts.notAfter());
        Instant base;
        if (renewBefore != null && renewBefore.compareTo(lifetime) < 0) {
            base = facts.notAfter().minus(renewBefore);
            reasons.add(Readable.duration(renewBefore) + " before expiry (" + base + ")");
        } else {
            base = renewalTime(facts.notBefore(), facts.notAfter());
            reasons.add(shareReason() + " (" + base + ")");
        }
        long maxJitter = Math.round(lifetime.toMillis() * jitterShare);
        long jitter = Math.min(maxJitter <= 0 ? 0 : seeded(facts, "jitter").nextLong(maxJitter + 1),
                Duration.between(facts.notBefore(), base).toMillis());
        if (jitter <= 0) {
            return base;
        }
        reasons.add("moved " + Readable.duration(Duration.ofMillis(jitter))
                + " earlier, so that certificates issued together do not renew together");
        return base.minusMillis(jitter);
    }

    private static Duration lifetime(Instant notBefore, Instant notAfter) {
        Duration lifetime = Duration.between(notBefore, notAfter);
        return lifetime.isNegative() ? Duration.ZERO : lifetime;
    }

    private static SplittableRandom seeded(RenewalFacts facts, String purpose) {
        String name = facts.certificateId() + '/' + facts.serialNumber() + '/' + purpose;
        return new SplittableRandom(UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).getMostSignificantBits());
    }
}
