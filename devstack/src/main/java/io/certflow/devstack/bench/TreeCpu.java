package io.certflow.devstack.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * CPU time of a process and of what it started, from Linux's {@code /proc}: its own user+system time, and its
 * children's — those it waited for ({@code cutime}+{@code cstime}: the {@code nginx -t} and {@code nginx -s reload}
 * commands deployment-service runs, the workers an nginx master replaced) plus those still running (nginx's
 * current worker). Exists because a deployment's cost is mostly in such short-lived processes, which a reading of
 * the main process alone misses.
 *
 * @param ownMillis      the process's own user + system time
 * @param childrenMillis its children's, ended and running
 */
record TreeCpu(long ownMillis, long childrenMillis) {

    private static final long TICKS_PER_SECOND = 100;

    static final TreeCpu NONE = new TreeCpu(0, 0);

    long totalMillis() {
        return ownMillis + childrenMillis;
    }

    TreeCpu minus(TreeCpu before) {
        return new TreeCpu(ownMillis - before.ownMillis, childrenMillis - before.childrenMillis);
    }

    /** The reading of {@code process} now; {@link #NONE} when it is gone. */
    static TreeCpu of(Optional<ProcessHandle> process) {
        if (process.isEmpty()) {
            return NONE;
        }
        ProcessHandle h = process.get();
        long[] own = ticks(h.pid());
        if (own == null) {
            return NONE;
        }
        long children = own[1];
        for (ProcessHandle d : h.descendants().toList()) {
            long[] t = ticks(d.pid());
            if (t != null) {
                children += t[0] + t[1];
            }
        }
        return new TreeCpu(own[0] * 1000 / TICKS_PER_SECOND, children * 1000 / TICKS_PER_SECOND);
    }

    /** {utime+stime, cutime+cstime} in clock ticks, or null. */
    private static long[] ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(f[11]) + Long.parseLong(f[12]), Long.parseLong(f[13]) + Long.parseLong(f[14])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
