package io.certflow.platform.outbox;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.List;

/**
 * The relay's own thread. It publishes each document this process saved as soon as it is queued
 * ({@link PendingOutboxes}, filled by {@link PublishOnSave}), and scans for pending outboxes at start-up,
 * every {@code scan-interval}, and at once when more documents were saved than the queue holds. Scan and publish-by-id run on this one thread,
 * so one process never publishes the same event twice at the same time.
 *
 * <p>Starts before the Kafka listeners and the web server and stops after them, so that what they
 * saved last is still published by this process.
 */
public class OutboxRelayThread implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelayThread.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);

    private final OutboxRelay relay;
    private final PendingOutboxes pending;
    private final Duration scanInterval;
    private volatile boolean running;
    private Thread thread;

    public OutboxRelayThread(OutboxRelay relay, PendingOutboxes pending, Duration scanInterval) {
        this.relay = relay;
        this.pending = pending;
        this.scanInterval = scanInterval;
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        Thread stopping;
        synchronized (this) {
            running = false;
            stopping = thread;
        }
        if (stopping == null) {
            return;
        }
        pending.wakeUp();
        try {
            stopping.join(STOP_WAIT.toMillis());
            if (stopping.isAlive()) {
                stopping.interrupt();
                stopping.join(STOP_WAIT.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        // below the web server (DEFAULT_PHASE - 2048) and the Kafka listener containers (DEFAULT_PHASE - 100)
        return DEFAULT_PHASE - 4096;
    }

    private void run() {
        relay.ensureScanIndexes();
        long nextScan = System.nanoTime();
        try {
            while (running) {
                PendingOutboxes.Work work = pending.take(Math.max(0, nextScan - System.nanoTime()));
                publish(work.saved());
                if (running && (work.overflowed() || System.nanoTime() - nextScan >= 0)) {
                    boolean more = relay.scan();
                    nextScan = System.nanoTime() + (more ? 0 : scanInterval.toNanos());
                }
            }
            publish(pending.take(0).saved()); // what was saved while stopping
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Publishes each saved document; after a failure the rest is left to the next scan. */
    private void publish(List<PendingOutboxes.Saved> saved) {
        for (PendingOutboxes.Saved document : saved) {
            try {
                relay.publish(document.collection(), document.id());
            } catch (RuntimeException e) {
                log.warn("outbox relay: publishing {} of {} failed, the scan will retry: {}",
                        document.id(), document.collection(), e.toString());
                return;
            }
        }
    }
}
