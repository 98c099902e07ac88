package io.certflow.devstack.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * What a consumer group had done over time: samples of its committed offsets and of the topic's end offsets (each
 * summed over the topic's partitions), taken by {@code ./certflow bench events} while a service consumes. Committed
 * offsets are what the service's listener acknowledged after applying the records, so their slope is the applied
 * events per second and end minus committed is the lag. Times are milliseconds from the phase's start. Pure
 * arithmetic, so that it is tested without Kafka.
 */
final class LagSamples {

    /**
     * One reading.
     *
     * @param atMillis  when, in milliseconds from the phase's start
     * @param committed the group's committed offsets on the topic, summed over its partitions
     * @param end       the topic's end offsets, summed
     */
    record Sample(long atMillis, long committed, long end) {
        long lag() {
            return Math.max(0, end - committed);
        }
    }

    private final List<Sample> samples = new ArrayList<>();

    synchronized void add(Sample sample) {
        samples.add(sample);
    }

    synchronized List<Sample> all() {
        return List.copyOf(samples);
    }

    synchronized Sample last() {
        return samples.isEmpty() ? null : samples.get(samples.size() - 1);
    }

    /** When the group first committed past {@code base}: its first applied record after the phase started. */
    synchronized OptionalLong firstAdvance(long base) {
        return samples.stream().filter(s -> s.committed() > base).mapToLong(Sample::atMillis).findFirst();
    }

    /** When the committed offsets first reached {@code target} (read off the samples: no interpolation). */
    synchronized OptionalLong reached(long target) {
        return samples.stream().filter(s -> s.committed() >= target).mapToLong(Sample::atMillis).findFirst();
    }

    /** The lag of the first sample at or after {@code atMillis}. */
    synchronized OptionalLong lagAt(long atMillis) {
        return samples.stream().filter(s -> s.atMillis() >= atMillis).mapToLong(Sample::lag).findFirst();
    }

    synchronized long maxLag() {
        return samples.stream().mapToLong(Sample::lag).max().orElse(0);
    }

    /**
     * The time at which the committed offsets crossed {@code value}, interpolated linearly between the two samples
     * around it (the group commits a poll's batch at a time, the samples come every few hundred milliseconds).
     */
    synchronized OptionalDouble crossing(long value) {
        Sample before = null;
        for (Sample s : samples) {
            if (s.committed() >= value) {
                if (before == null || s.committed() == before.committed()) {
                    return OptionalDouble.of(s.atMillis());
                }
                double share = (double) (value - before.committed()) / (s.committed() - before.committed());
                return OptionalDouble.of(before.atMillis() + share * (s.atMillis() - before.atMillis()));
            }
            before = s;
        }
        return OptionalDouble.empty();
    }

    /**
     * Applied records per second in steady state: the slope of the committed offsets between {@code from} and
     * {@code to} (e.g. 10 % and 90 % of a phase's records beyond its base, leaving out the start, where the consumer
     * joins and the JIT warms up, and the tail). Empty when they were not both reached or lie too close in time.
     */
    OptionalDouble rate(long from, long to) {
        OptionalDouble a = crossing(from);
        OptionalDouble b = crossing(to);
        if (a.isEmpty() || b.isEmpty() || b.getAsDouble() - a.getAsDouble() < 1) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of((to - from) * 1000.0 / (b.getAsDouble() - a.getAsDouble()));
    }

    /** {@link #rate} between 10 % and 90 % of the {@code records} beyond {@code base}. */
    OptionalDouble steadyRate(long base, long records) {
        return rate(base + records / 10, base + records * 9 / 10);
    }

    /** Records per second of {@code records} in {@code millis}; 0 when no time passed. */
    static double perSecond(long records, double millis) {
        return millis <= 0 ? 0 : records * 1000.0 / millis;
    }
}
