package io.certflow.platform.outbox;

import io.certflow.events.CloudEventHeaders;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.mapping.MongoMappingContext;
import org.springframework.data.mongodb.core.mapping.MongoPersistentEntity;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.Scheduled;

import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.exists;
import static com.mongodb.client.model.Updates.combine;
import static com.mongodb.client.model.Updates.inc;
import static com.mongodb.client.model.Updates.pull;

/**
 * Publishes the embedded outboxes of every {@link Aggregate} collection to Kafka and removes each
 * event once the broker acknowledged it. Publishing is at-least-once: a crash between the
 * acknowledgement and the removal publishes the event again, and consumers apply it once.
 *
 * <p>Runs on its own scheduler thread, never on a listener thread; waiting for the broker here is
 * the point.
 */
public class OutboxRelay {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    private static final int BATCH = 200;

    private final MongoTemplate mongo;
    private final MongoMappingContext mappingContext;
    private final KafkaTemplate<String, String> kafka;
    private final String source;

    public OutboxRelay(MongoTemplate mongo, MongoMappingContext mappingContext,
                       KafkaTemplate<String, String> kafka, String source) {
        this.mongo = mongo;
        this.mappingContext = mappingContext;
        this.kafka = kafka;
        this.source = source;
    }

    /** Publishes what is pending now; called by the scheduler, and by tests that want it at once. */
    @Scheduled(fixedDelayString = "${certflow.outbox.poll-interval:200ms}")
    public int publishPending() {
        int published = 0;
        for (String collection : aggregateCollections()) {
            try {
                published += publishCollection(collection);
            } catch (RuntimeException e) {
                log.warn("outbox relay: publishing from {} failed, will retry: {}", collection, e.toString());
            }
        }
        return published;
    }

    private int publishCollection(String collection) {
        int published = 0;
        for (Document document : mongo.getCollection(collection).find(exists("outbox.0")).limit(BATCH)) {
            @SuppressWarnings("unchecked")
            List<Document> outbox = (List<Document>) document.get("outbox", List.class);
            for (Document message : outbox) {
                send(message);
                // the version moves too: a writer still holding the document from before this pull must reload
                // (optimistic lock) instead of saving the published message back into the outbox
                mongo.getCollection(collection).updateOne(eq("_id", document.get("_id")),
                        combine(pull("outbox", new Document("eventId", message.getString("eventId"))), inc("version", 1L)));
                published++;
            }
        }
        return published;
    }

    private void send(Document message) {
        ProducerRecord<String, String> record = new ProducerRecord<>(message.getString("topic"), null,
                message.getString("key"), message.getString("payload"));
        Object occurredAt = message.get("occurredAt");
        String time = occurredAt instanceof Date d ? DateTimeFormatter.ISO_INSTANT.format(d.toInstant())
                : String.valueOf(occurredAt);
        header(record, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_1_0);
        header(record, CloudEventHeaders.ID, message.getString("eventId"));
        header(record, CloudEventHeaders.TYPE, message.getString("type"));
        header(record, CloudEventHeaders.SOURCE, source);
        header(record, CloudEventHeaders.TIME, time);
        header(record, CloudEventHeaders.SUBJECT, message.getString("key"));
        header(record, CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON);
        try {
            kafka.send(record).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing", e);
        } catch (Exception e) {
            throw new IllegalStateException("broker did not acknowledge " + message.getString("type")
                    + " " + message.getString("eventId"), e);
        }
    }

    private static void header(ProducerRecord<String, String> record, String name, String value) {
        record.headers().add(new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8)));
    }

    private List<String> aggregateCollections() {
        return mappingContext.getPersistentEntities().stream()
                .filter(e -> Aggregate.class.isAssignableFrom(e.getType()))
                .filter(e -> !java.lang.reflect.Modifier.isAbstract(e.getType().getModifiers()))
                .map(MongoPersistentEntity::getCollection)
                .distinct()
                .toList();
    }
}
