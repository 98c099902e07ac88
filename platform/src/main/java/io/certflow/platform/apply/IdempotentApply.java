package io.certflow.platform.apply;

import io.certflow.events.CertflowEvent;
import io.certflow.platform.outbox.Aggregate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.mongodb.core.MongoTemplate;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Applies an event to one aggregate exactly once, without transactions: load (or create), skip if
 * the event id is remembered, change, remember the id, and save conditionally on the version read.
 * A concurrent write makes the save fail, and the whole step is tried again on fresh state. An event
 * whose account does not own the existing aggregate is refused ({@link AccountCheck}) and changes nothing.
 */
public class IdempotentApply {

    private static final Logger log = LoggerFactory.getLogger(IdempotentApply.class);
    private static final int ATTEMPTS = 10;

    private final MongoTemplate mongo;

    public IdempotentApply(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    /**
     * Applies {@code event} to the aggregate {@code id}.
     *
     * @param type            the aggregate class
     * @param id              the aggregate id
     * @param event           the event being applied; its id is remembered in the document
     * @param createIfMissing makes the aggregate when none exists; {@code null} to ignore events for
     *                        aggregates that do not exist
     * @param change          the state change; may raise events on the aggregate
     * @throws AccountMismatchException when the aggregate exists and belongs to another account than the
     *                                  event's (the record goes to the dead-letter topic)
     * @return the saved aggregate, the unchanged one if the event was applied before, or {@code null}
     *         when it does not exist and {@code createIfMissing} is {@code null}
     */
    public <T extends Aggregate> T apply(Class<T> type, String id, CertflowEvent event,
                                         Supplier<T> createIfMissing, Consumer<T> change) {
        for (int attempt = 1; ; attempt++) {
            T aggregate = mongo.findById(id, type);
            if (aggregate != null) {
                AccountCheck.requireOwner(aggregate.getAccountId(), type.getSimpleName() + " " + id, event);
            }
            if (aggregate == null) {
                if (createIfMissing == null) {
                    log.debug("{} {} does not exist; {} ignored", type.getSimpleName(), id, event.eventId());
                    return null;
                }
                aggregate = createIfMissing.get();
            }
            if (aggregate.hasApplied(event.eventId())) {
                log.debug("{} {} already applied {}", type.getSimpleName(), id, event.eventId());
                return aggregate;
            }
            change.accept(aggregate);
            aggregate.markApplied(event.eventId());
            try {
                return mongo.save(aggregate);
            } catch (OptimisticLockingFailureException | DuplicateKeyException e) {
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
                log.debug("{} {} changed concurrently, applying {} again", type.getSimpleName(), id, event.eventId());
            }
        }
    }
}
