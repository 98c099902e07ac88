package io.certflow.platform.outbox;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The documents saved in this process whose outbox waits for the relay: {@link PublishOnSave} adds,
 * {@link OutboxRelayThread} takes. A set: several saves of one document in a burst cost the relay one
 * read. Bounded: a burst beyond the bound is not kept but remembered as an overflow, and the relay then
 * scans for what did not fit.
 */
public final class PendingOutboxes {

    /** One saved document: its collection and its stored {@code _id}. */
    record Saved(String collection, Object id) {
    }

    /**
     * What the relay has to do now.
     *
     * @param saved      the documents to publish, in the order they were saved
     * @param overflowed whether saves were dropped since the last take, so that only a scan finds them
     */
    record Work(List<Saved> saved, boolean overflowed) {
    }

    private final int capacity;
    private final Set<Saved> saved = new LinkedHashSet<>();
    private boolean overflowed;
    private boolean woken;

    public PendingOutboxes(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("the outbox queue needs room for at least one document");
        }
        this.capacity = capacity;
    }

    /** Remembers that {@code id} in {@code collection} was saved with pending events; never waits. */
    public synchronized void add(String collection, Object id) {
        Saved document = new Saved(collection, id);
        if (saved.size() < capacity) {
            saved.add(document);
        } else if (!saved.contains(document)) {
            overflowed = true;
        }
        notifyAll();
    }

    /**
     * Takes everything waiting; if nothing is, waits up to {@code timeoutNanos} for a save or a
     * {@link #wakeUp()}.
     */
    synchronized Work take(long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (saved.isEmpty() && !overflowed && !woken) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        Work work = new Work(List.copyOf(saved), overflowed);
        saved.clear();
        overflowed = false;
        woken = false;
        return work;
    }

    /** Ends the current (or next) {@link #take} at once, e.g. to stop. */
    synchronized void wakeUp() {
        woken = true;
        notifyAll();
    }
}
