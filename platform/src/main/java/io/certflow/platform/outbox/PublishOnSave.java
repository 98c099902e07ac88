package io.certflow.platform.outbox;

import org.bson.Document;
import org.springframework.data.mongodb.core.mapping.event.AfterSaveCallback;

/**
 * Tells the relay about every {@link Aggregate} saved with pending events, through Spring Data's
 * {@link AfterSaveCallback} (every {@code save} and {@code insert} of a {@code MongoTemplate} or a
 * repository), so that its events are published at once instead of at the next scan. Runs on the
 * saving thread and only queues the document's {@code _id} for the {@link OutboxRelayThread}: the saver
 * never waits for the broker. Depends on the queue alone, not on Mongo, because the Mongo converter
 * collects the entity callbacks when it is made.
 *
 * <p>Off with {@code certflow.outbox.publish-on-save=false}: then only the scan publishes.
 */
public class PublishOnSave implements AfterSaveCallback<Aggregate> {

    private final PendingOutboxes pending;

    public PublishOnSave(PendingOutboxes pending) {
        this.pending = pending;
    }

    @Override
    public Aggregate onAfterSave(Aggregate aggregate, Document document, String collection) {
        Object id = document.get("_id"); // as stored, e.g. an ObjectId for a hex string id
        if (id != null && !aggregate.pendingEvents().isEmpty()) {
            pending.add(collection, id);
        }
        return aggregate;
    }
}
