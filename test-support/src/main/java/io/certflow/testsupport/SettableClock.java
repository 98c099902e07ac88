package io.certflow.testsupport;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A UTC {@link Clock} whose time the test decides: read from a supplier (typically a field the test moves),
 * so that time-dependent code is tested with fixed instants.
 */
public final class SettableClock extends Clock {

    private final Supplier<Instant> now;

    private SettableClock(Supplier<Instant> now) {
        this.now = Objects.requireNonNull(now);
    }

    /** A clock that answers whatever {@code now} returns at each call, e.g. {@code SettableClock.reading(() -> now)}. */
    public static SettableClock reading(Supplier<Instant> now) {
        return new SettableClock(now);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now.get();
    }
}
