package io.certflow.hosting.metrics;

import io.certflow.hosting.managing.CertificateStatus;
import io.certflow.hosting.managing.ManagedCertificate;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The fleet at a glance, as tagged gauges (no per-certificate series): {@code certflow.hosting.certificates{status}},
 * how many certificates are in each status, and {@code certflow.hosting.days.to.expiry{le}}, a cumulative histogram
 * of the days the live versions of certificates not cancelled have left ({@code le="0"} counts the expired ones;
 * {@code le="+Inf"} all).
 *
 * <p>Each figure is one {@code count} command whose filter the {@code status-expiry} index answers on MongoDB (a count
 * over index keys, no document read): one per status and one per bound, about twenty a refresh, whatever the fleet's
 * size. Not an aggregation: a {@code $group} reads every document, and the Mongo wire server of the dev stack holds
 * an aggregation's whole input in its heap (it ran out of memory at 25,000 certificates, docs/benchmarks.md).
 */
@Component
public class FleetGauges {

    private static final Logger log = LoggerFactory.getLogger(FleetGauges.class);
    /** Upper bounds of the histogram, in days. */
    static final int[] DAY_BOUNDS = {0, 1, 7, 14, 30, 60, 90, 200};
    private static final Duration SLOW = Duration.ofSeconds(10);
    /** After a refresh that took t, the next waits until 10 t have passed: the store spends at most a tenth on them. */
    private static final int QUIET_FACTOR = 10;

    private final MongoTemplate mongo;
    private final Clock clock;
    private final MultiGauge byStatus;
    private final MultiGauge daysToExpiry;
    private final LongSupplier nanoTime;
    /** {@link #nanoTime} before which a refresh is skipped. */
    private long quietUntil;
    private boolean refreshed;

    @Autowired
    public FleetGauges(MongoTemplate mongo, Clock clock, MeterRegistry meters) {
        this(mongo, clock, meters, System::nanoTime);
    }

    FleetGauges(MongoTemplate mongo, Clock clock, MeterRegistry meters, LongSupplier nanoTime) {
        this.mongo = mongo;
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.byStatus = MultiGauge.builder("certflow.hosting.certificates")
                .description("Managed certificates, by status").register(meters);
        this.daysToExpiry = MultiGauge.builder("certflow.hosting.days.to.expiry")
                .description("Live certificates (not cancelled) with at most le days to expiry, cumulative").register(meters);
    }

    /**
     * Recounts, unless the last refresh was slow: after one that took t the next waits until 10 t have passed, so a
     * store without the {@code status-expiry} index (the dev stack's answers these counts by reading most documents)
     * spends at most a tenth of its time on them. A failing store keeps the last values and is logged in one line.
     */
    @Scheduled(fixedDelayString = "${certflow.hosting.metrics-refresh-interval:5m}", initialDelay = 5_000)
    public synchronized void refresh() {
        long started = nanoTime.getAsLong();
        if (refreshed && started - quietUntil < 0) {
            return;
        }
        try {
            byStatus.register(rows(countByStatus()), true);
            daysToExpiry.register(rows(cumulativeDaysToExpiry(clock.instant())), true);
        } catch (DataAccessException e) {
            log.warn("fleet gauges not refreshed: {}", e.toString());
        }
        long finished = nanoTime.getAsLong();
        Duration took = Duration.ofNanos(finished - started);
        refreshed = true;
        quietUntil = finished + QUIET_FACTOR * took.toNanos();
        if (took.compareTo(SLOW) > 0) {
            log.warn("fleet gauges took {} s, so the next refresh waits {} s: is the status-expiry index there?",
                    took.toSeconds(), QUIET_FACTOR * took.toSeconds());
        }
    }

    /** How many certificates are in each status (0 for a status none is in). */
    public Map<CertificateStatus, Long> countByStatus() {
        Map<CertificateStatus, Long> counts = new EnumMap<>(CertificateStatus.class);
        for (CertificateStatus status : CertificateStatus.values()) {
            counts.put(status, count(new Document("status", status.name())));
        }
        return counts;
    }

    /** For each bound (and {@code +Inf}), how many live versions expire within that many days of {@code now}. */
    public Map<String, Long> cumulativeDaysToExpiry(Instant now) {
        List<String> notCancelled = new ArrayList<>();
        for (CertificateStatus status : CertificateStatus.values()) {
            if (status != CertificateStatus.CANCELLED) {
                notCancelled.add(status.name());
            }
        }
        Document live = new Document("$in", notCancelled);
        Map<String, Long> cumulative = new LinkedHashMap<>();
        for (int days : DAY_BOUNDS) {
            Date bound = Date.from(now.plus(Duration.ofDays(days)));
            cumulative.put(Integer.toString(days),
                    count(new Document("status", live).append("notAfter", new Document("$lte", bound))));
        }
        cumulative.put("+Inf", count(new Document("status", live).append("notAfter", new Document("$ne", null))));
        return cumulative;
    }

    private long count(Document filter) {
        Document answer = mongo.executeCommand(new Document("count", mongo.getCollectionName(ManagedCertificate.class))
                .append("query", filter));
        return ((Number) answer.get("n")).longValue();
    }

    private static <K> List<MultiGauge.Row<?>> rows(Map<K, Long> values) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        values.forEach((key, n) -> rows.add(MultiGauge.Row.of(Tags.of(key instanceof CertificateStatus
                ? "status" : "le", key.toString()), n)));
        return rows;
    }
}
