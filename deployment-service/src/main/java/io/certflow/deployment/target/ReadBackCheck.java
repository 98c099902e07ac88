package io.certflow.deployment.target;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Reads back, again and again, until a resource serves the expected certificate or the window ends. Exists
 * because servers take up a new certificate asynchronously (nginx swaps workers, HAProxy commits), so one
 * read right after the change may still see the old one.
 */
public final class ReadBackCheck {

    private final Duration window;
    private final Duration interval;

    /**
     * @param window   how long to keep reading back
     * @param interval pause between two read-backs
     */
    public ReadBackCheck(Duration window, Duration interval) {
        this.window = Objects.requireNonNull(window, "window");
        this.interval = Objects.requireNonNull(interval, "interval");
    }

    /** Whether {@code served} is the certificate with serial {@code wanted}. */
    public static boolean serves(ReadBack served, String wanted) {
        return served.serialNumber().filter(wanted::equals).isPresent();
    }

    /**
     * Reads back until {@code wanted} is served or the window closes (or the thread is interrupted).
     *
     * @param read   one read-back of the resource
     * @param wanted the expected serial
     * @return the last answer
     */
    public ReadBack awaitServing(Supplier<ReadBack> read, String wanted) {
        long deadline = System.nanoTime() + window.toNanos();
        while (true) {
            ReadBack served = read.get();
            if (serves(served, wanted) || System.nanoTime() >= deadline) {
                return served;
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return served;
            }
        }
    }
}
