package io.certflow.platform.outbox;

import io.certflow.events.CertflowEvent;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * Base of every aggregate document. MongoDB is used without transactions, so one aggregate is one
 * document, and it carries both the events its last changes raised (the embedded outbox, published by
 * {@link OutboxRelay}) and the ids of the events it has already applied (so that a redelivered event
 * changes nothing). {@link Version} makes a concurrent write fail instead of silently overwriting.
 */
public abstract class Aggregate {

    /** How many applied event ids a document remembers; older ones are forgotten first. */
    static final int APPLIED_EVENTS_REMEMBERED = 256;

    @Id
    private String id;

    private String accountId;

    @Version
    private Long version;

    private List<OutboxMessage> outbox = new ArrayList<>();

    private List<String> appliedEventIds = new ArrayList<>();

    protected Aggregate() {
    }

    protected Aggregate(String id, String accountId) {
        this.id = id;
        this.accountId = accountId;
    }

    public String getId() {
        return id;
    }

    public String getAccountId() {
        return accountId;
    }

    public Long getVersion() {
        return version;
    }

    /** Whether the document was never saved. */
    public boolean isNew() {
        return version == null;
    }

    /**
     * Records {@code event} to be published once this document is saved; the state change and the
     * event are then one atomic single-document write.
     */
    protected void raise(CertflowEvent event) {
        outbox.add(OutboxMessage.of(event));
    }

    /** The events raised and not yet acknowledged by the broker. */
    public List<OutboxMessage> pendingEvents() {
        return Collections.unmodifiableList(outbox);
    }

    /** Whether the event with this id was already applied to this document. */
    public boolean hasApplied(UUID eventId) {
        return appliedEventIds.contains(eventId.toString());
    }

    /** Remembers that the event with this id was applied. */
    public void markApplied(UUID eventId) {
        String id = eventId.toString();
        if (!appliedEventIds.contains(id)) {
            appliedEventIds.add(id);
        }
        while (appliedEventIds.size() > APPLIED_EVENTS_REMEMBERED) {
            appliedEventIds.remove(0);
        }
    }
}
