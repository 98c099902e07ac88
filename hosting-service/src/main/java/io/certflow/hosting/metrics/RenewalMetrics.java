package io.certflow.hosting.metrics;

import io.certflow.hosting.managing.RenewalTrigger;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Counters of renewals, tagged by what started them and by why they failed — never by certificate, so the
 * number of series stays the same at a million certificates: {@code certflow.hosting.renewals.started{trigger}},
 * {@code certflow.hosting.renewals.succeeded}, {@code certflow.hosting.renewals.failed{reason}}. The reason is
 * the last part of the failure's problem type ({@code rateLimited}, {@code caa-forbidden}), {@code timeout} for an
 * unanswered renewal, or {@code unknown}/{@code other}. Each trigger's {@code started}, {@code succeeded} and
 * {@code failed{reason="unknown"}} exist from the start at zero, so that Prometheus' {@code increase()} and the
 * renewal alert (deploy/prometheus/alerts.yml) see the first renewal and the first failure.
 */
@Component
public class RenewalMetrics {

    private static final Pattern TAG = Pattern.compile("[A-Za-z][A-Za-z0-9._-]{0,39}");

    private final MeterRegistry registry;

    public RenewalMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (RenewalTrigger trigger : RenewalTrigger.values()) {
            started(trigger, 0);
        }
        succeeded(0);
        failed(null, 0);
    }

    /** A renewal started. */
    public void started(RenewalTrigger trigger) {
        started(trigger, 1);
    }

    private void started(RenewalTrigger trigger, int n) {
        Counter.builder("certflow.hosting.renewals.started").description("Renewals started, by trigger")
                .tag("trigger", trigger.name().toLowerCase(Locale.ROOT)).register(registry).increment(n);
    }

    /** A renewal produced a new version. */
    public void succeeded() {
        succeeded(1);
    }

    private void succeeded(int n) {
        Counter.builder("certflow.hosting.renewals.succeeded").description("Renewals that issued a new version")
                .register(registry).increment(n);
    }

    /** A renewal failed; {@code reason} is a problem type URN, a short word, or null. */
    public void failed(String reason) {
        failed(reason, 1);
    }

    private void failed(String reason, int n) {
        Counter.builder("certflow.hosting.renewals.failed").description("Renewals that failed, by reason")
                .tag("reason", reasonTag(reason)).register(registry).increment(n);
    }

    /** The bounded tag for a failure: the last part of a problem type URN or URL. */
    static String reasonTag(String reason) {
        if (reason == null || reason.isBlank()) {
            return "unknown";
        }
        String last = reason.substring(Math.max(reason.lastIndexOf(':'), reason.lastIndexOf('/')) + 1);
        return TAG.matcher(last).matches() ? last : "other";
    }
}
