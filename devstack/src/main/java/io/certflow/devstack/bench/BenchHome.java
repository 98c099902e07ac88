package io.certflow.devstack.bench;

import io.certflow.devstack.DevstackException;
import io.certflow.devstack.StackConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;

/**
 * Where the benchmarks keep their runs ({@code <home>/bench/<name>}, cleared before each run so that
 * an earlier run cannot shape the next) and their reports ({@code <home>/bench/results.md}, appended,
 * each headed by the command and the date).
 */
final class BenchHome {

    private BenchHome() {
    }

    /** The empty folder of one run of benchmark {@code name}. */
    static Path fresh(StackConfig base, String name) {
        Path dir = base.home().resolve("bench").resolve(name);
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                throw new DevstackException("cannot clear the previous benchmark run " + dir + ": " + e.getMessage(), e);
            }
        }
        return dir;
    }

    /** {@code ### `<command>` — <date> UTC}, the first line of every report. */
    static String heading(String commandLine) {
        return "### `" + commandLine + "` — "
                + DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(Instant.now().atOffset(ZoneOffset.UTC).withNano(0))
                + " UTC\n\n";
    }

    /** Appends a report to {@code <home>/bench/results.md}; a failure to write is printed, not thrown. */
    static void save(StackConfig base, String report, PrintStream out) {
        Path file = base.home().resolve("bench").resolve("results.md");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, report + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            out.println("bench: appended to " + file);
        } catch (IOException e) {
            out.println("bench: could not write " + file + ": " + e.getMessage());
        }
    }
}
