package io.certflow.devstack.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * CPU time and peak resident memory of a running process, read from Linux's {@code /proc}. Exists so that a
 * benchmark can say what each service cost during a run: CPU as the difference of two readings, memory as the
 * peak (VmHWM) since the process started.
 *
 * @param cpuMillis user + system CPU time so far
 * @param peakRssKb peak resident set size in KiB
 */
public record ProcessUsage(long cpuMillis, long peakRssKb) {

    /** Clock ticks per second of {@code /proc/<pid>/stat} (USER_HZ, 100 on every Linux this runs on). */
    private static final long TICKS_PER_SECOND = 100;

    /** The usage of {@code pid} now, or empty when it is not running or {@code /proc} is absent. */
    public static Optional<ProcessUsage> of(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // fields after the command name (which may hold spaces) start at ") "
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            long hwm = 0;
            for (String line : List.copyOf(Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")))) {
                if (line.startsWith("VmHWM:")) {
                    hwm = Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return Optional.of(new ProcessUsage(ticks * 1000 / TICKS_PER_SECOND, hwm));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
