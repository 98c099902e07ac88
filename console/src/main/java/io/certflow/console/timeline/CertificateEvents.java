package io.certflow.console.timeline;

import io.certflow.console.topics.EventView;
import io.certflow.console.topics.OpsProperties;
import io.certflow.console.topics.RecordReader;
import io.certflow.events.CertificateEvent;
import io.certflow.events.EventType;
import io.certflow.events.Topics;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the events of one certificate off every event topic. They are keyed by the certificateId (DESIGN §2),
 * the purchase's by the orderId, so each topic is read on one partition only, from a little before the order was
 * placed. Events carry no secret by construction (DESIGN §3), so they are shown as they are, cut at the
 * dashboards' value bound.
 */
@Component
public class CertificateEvents {

    /**
     * The purchase events, keyed by the (upstream) orderId. Every other event either is a {@link CertificateEvent},
     * keyed by the certificateId, or is account-wide ({@code MaintenanceWindowsChanged}) and touches no one certificate.
     */
    static final Set<String> KEYED_BY_ORDER = Set.of(Topics.PURCHASE_COMPLETED, Topics.PURCHASE_ACCEPTED,
            Topics.PURCHASE_REJECTED, Topics.PURCHASE_CANCELLED);

    private final RecordReader reader;
    private final TimelineProperties timeline;
    private final OpsProperties ops;

    public CertificateEvents(RecordReader reader, TimelineProperties timeline, OpsProperties ops) {
        this.reader = reader;
        this.timeline = timeline;
        this.ops = ops;
    }

    /**
     * The certificate's events, by the time they occurred.
     *
     * @param certificateId the certificate
     * @param orderId       its order, or null when not known (the purchase event is then not looked for)
     * @param orderedAt     when it was ordered (events before it, less the margin, are not read)
     */
    public Timeline of(String certificateId, String orderId, Instant orderedAt) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (EventType type : EventType.values()) {
            if (CertificateEvent.class.isAssignableFrom(type.recordClass())) {
                keys.put(type.topic(), certificateId);
            } else if (KEYED_BY_ORDER.contains(type.topic()) && orderId != null) {
                keys.put(type.topic(), orderId);
            }
        }
        Instant since = orderedAt.minus(timeline.margin());
        RecordReader.Keyed found = reader.withKeys(keys, since, timeline.maxScanned());
        List<EventView> events = found.records().stream()
                .map(record -> EventView.of(record, ops.maxValueBytes()))
                .sorted(Comparator.comparing(CertificateEvents::occurred).thenComparing(EventView::timestamp))
                .toList();
        return new Timeline(certificateId, orderId, since, events, found.cut());
    }

    /** When the event occurred ({@code ce_time}), or when the broker took it if that header is unreadable. */
    private static Instant occurred(EventView event) {
        try {
            return event.ceTime() == null ? event.timestamp() : Instant.parse(event.ceTime());
        } catch (RuntimeException e) {
            return event.timestamp();
        }
    }
}
