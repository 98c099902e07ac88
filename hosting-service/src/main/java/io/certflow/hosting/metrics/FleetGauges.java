package io.certflow.hosting.metrics;

import io.certflow.hosting.managing.CertificateStatus;
import io.certflow.hosting.managing.ManagedCertificate;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
import java.util.List;
import java.util.Map;

/**
 * The fleet at a glance, computed by the store in two aggregations per refresh (not per certificate):
 * {@code certflow.hosting.certificates{status}}, how many certificates are in each status, and
 * {@code certflow.hosting.days.to.expiry{le}}, a cumulative histogram of the days the live versions of
 * certificates not cancelled have left ({@code le="0"} counts the expired ones; {@code le="+Inf"} all).
 */
@Component
public class FleetGauges {

    private static final Logger log = LoggerFactory.getLogger(FleetGauges.class);
    /** Upper bounds of the histogram, in days. */
    static final int[] DAY_BOUNDS = {0, 1, 7, 14, 30, 60, 90, 200};

    private final MongoTemplate mongo;
    private final Clock clock;
    private final MultiGauge byStatus;
    private final MultiGauge daysToExpiry;

    public FleetGauges(MongoTemplate mongo, Clock clock, MeterRegistry meters) {
        this.mongo = mongo;
        this.clock = clock;
        this.byStatus = MultiGauge.builder("certflow.hosting.certificates")
                .description("Managed certificates, by status").register(meters);
        this.daysToExpiry = MultiGauge.builder("certflow.hosting.days.to.expiry")
                .description("Live certificates (not cancelled) with at most le days to expiry, cumulative").register(meters);
    }

    /** Recounts; a failing store keeps the last values and is logged in one line. */
    @Scheduled(fixedDelayString = "${certflow.hosting.metrics-refresh-interval:1m}", initialDelay = 5_000)
    public void refresh() {
        try {
            byStatus.register(rows(countByStatus()), true);
            daysToExpiry.register(rows(cumulativeDaysToExpiry(clock.instant())), true);
        } catch (DataAccessException e) {
            log.warn("fleet gauges not refreshed: {}", e.toString());
        }
    }

    /** How many certificates are in each status (0 for a status none is in). */
    public Map<CertificateStatus, Long> countByStatus() {
        Map<CertificateStatus, Long> counts = new EnumMap<>(CertificateStatus.class);
        for (CertificateStatus status : CertificateStatus.values()) {
            counts.put(status, 0L);
        }
        for (Document row : collection().aggregate(List.of(
                new Document("$group", new Document("_id", "$status").append("n", new Document("$sum", 1)))))) {
            Object status = row.get("_id");
            if (status != null) {
                try {
                    counts.put(CertificateStatus.valueOf(status.toString()), ((Number) row.get("n")).longValue());
                } catch (IllegalArgumentException e) {
                    log.debug("status {} is not known here", status);
                }
            }
        }
        return counts;
    }

    /** For each bound (and {@code +Inf}), how many live versions expire within that many days of {@code now}. */
    public Map<String, Long> cumulativeDaysToExpiry(Instant now) {
        List<Object> boundaries = new ArrayList<>();
        boundaries.add(new Date(0));
        for (int days : DAY_BOUNDS) {
            boundaries.add(Date.from(now.plus(Duration.ofDays(days))));
        }
        long[] perBucket = new long[DAY_BOUNDS.length + 1];
        Document match = new Document("status", new Document("$ne", CertificateStatus.CANCELLED.name()))
                .append("notAfter", new Document("$ne", null));
        Document bucket = new Document("groupBy", "$notAfter").append("boundaries", boundaries)
                .append("default", "later").append("output", new Document("n", new Document("$sum", 1)));
        for (Document row : collection().aggregate(List.of(new Document("$match", match), new Document("$bucket", bucket)))) {
            long n = ((Number) row.get("n")).longValue();
            Object id = row.get("_id");
            int index = DAY_BOUNDS.length; // "later"
            if (id instanceof Date lower) {
                index = boundaries.indexOf(lower);
            }
            perBucket[Math.max(0, index)] += n;
        }
        Map<String, Long> cumulative = new java.util.LinkedHashMap<>();
        long running = 0;
        for (int i = 0; i < DAY_BOUNDS.length; i++) {
            running += perBucket[i];
            cumulative.put(Integer.toString(DAY_BOUNDS[i]), running);
        }
        cumulative.put("+Inf", running + perBucket[DAY_BOUNDS.length]);
        return cumulative;
    }

    private com.mongodb.client.MongoCollection<Document> collection() {
        return mongo.getCollection(mongo.getCollectionName(ManagedCertificate.class));
    }

    private static <K> List<MultiGauge.Row<?>> rows(Map<K, Long> values) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        values.forEach((key, n) -> rows.add(MultiGauge.Row.of(Tags.of(key instanceof CertificateStatus
                ? "status" : "le", key.toString()), n)));
        return rows;
    }
}
