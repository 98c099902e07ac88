package io.certflow.platform.outbox;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import io.certflow.events.CloudEventHeaders;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.mapping.MongoMappingContext;
import org.springframework.data.mongodb.core.mapping.MongoPersistentEntity;
import org.springframework.kafka.core.KafkaTemplate;

import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.exists;
import static com.mongodb.client.model.Projections.include;
import static com.mongodb.client.model.Updates.combine;
import static com.mongodb.client.model.Updates.inc;
import static com.mongodb.client.model.Updates.pull;

/**
 * Publishes the embedded outboxes of {@link Aggregate} documents to Kafka and removes each event once
 * the broker acknowledged it. Publishing is at-least-once: a crash between the acknowledgement and the
 * removal publishes the event again, and consumers apply it once.
 *
 * <p>Two ways in: {@link #publish(String, Object)} one document, read by {@code _id} (what this process
 * just saved), and {@link #scan()} for pending documents nobody announced (left by a process that
 * stopped after its save). The scan's query is served by a partial index holding only documents with
 * pending events, so its cost follows the pending documents, not the collection.
 *
 * <p>Waits for the broker, so it runs on the relay's own thread ({@link OutboxRelayThread}), never on
 * a listener thread.
 */
public class OutboxRelay {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    /**
     * The scan's query: documents with at least one pending event. It names the key of the scan index
     * ({@value #SCAN_INDEX}), whose partial filter is this query, so MongoDB's planner can answer it from
     * that index alone.
     */
    public static final Bson PENDING = exists("outbox.eventId");
    /** The name of the partial index on {@code outbox.eventId} that holds only documents with pending events. */
    public static final String SCAN_INDEX = "outbox_pending";
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

    /**
     * Publishes the pending events of one document, in the order they were raised.
     *
     * @param collection the document's collection
     * @param id         its stored {@code _id}
     * @return how many events were published
     * @throws IllegalStateException when the broker did not acknowledge an event; it stays pending
     */
    public int publish(String collection, Object id) {
        MongoCollection<Document> documents = mongo.getCollection(collection);
        Document document = documents.find(eq("_id", id)).projection(include("outbox")).first();
        if (document == null) {
            return 0;
        }
        int published = 0;
        for (Document message : document.getList("outbox", Document.class, List.of())) {
            String eventId = message.getString("eventId");
            send(message);
            // the version moves too: a writer still holding the document from before this pull must reload
            // (optimistic lock) instead of saving the published message back into the outbox
            documents.updateOne(and(eq("_id", id), eq("outbox.eventId", eventId)),
                    combine(pull("outbox", new Document("eventId", eventId)), inc("version", 1L)));
            published++;
        }
        return published;
    }

    /**
     * Publishes up to one batch of pending documents per aggregate collection; a collection whose
     * publishing fails is tried again at the next scan.
     *
     * @return whether a collection had a full batch, so that more may be pending
     */
    public boolean scan() {
        boolean more = false;
        for (String collection : aggregateCollections()) {
            try {
                List<Object> ids = mongo.getCollection(collection).find(PENDING).projection(include("_id"))
                        .limit(BATCH).map(d -> d.get("_id")).into(new ArrayList<>());
                for (Object id : ids) {
                    publish(collection, id);
                }
                more |= ids.size() == BATCH;
            } catch (RuntimeException e) {
                log.warn("outbox relay: publishing from {} failed, will retry: {}", collection, e.toString());
            }
        }
        return more;
    }

    /**
     * Makes sure every aggregate collection has the partial index the scan uses. A store that cannot
     * build it (the Mongo wire server used in tests ignores such indexes) costs a log line, not the start.
     */
    public void ensureScanIndexes() {
        for (String collection : aggregateCollections()) {
            try {
                mongo.getCollection(collection).createIndex(Indexes.ascending("outbox.eventId"),
                        new IndexOptions().name(SCAN_INDEX).partialFilterExpression(PENDING));
            } catch (RuntimeException e) {
                log.warn("outbox relay: no scan index on {}, the scan reads the whole collection: {}",
                        collection, e.toString());
            }
        }
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
                .filter(e -> !Modifier.isAbstract(e.getType().getModifiers()))
                .map(MongoPersistentEntity::getCollection)
                .distinct()
                .toList();
    }
}
