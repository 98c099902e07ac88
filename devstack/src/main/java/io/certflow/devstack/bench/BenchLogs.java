package io.certflow.devstack.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code ./certflow bench renewals} reads from the logs of the processes it runs: the renewals hosting-service
 * started, its warnings, and why a process failed, in one line each for the report.
 */
final class BenchLogs {

    private static final Pattern STORE_ERROR = Pattern.compile("error -?\\d+: '([^']{1,200})");

    private BenchLogs() {
    }

    /**
     * The renewals the scheduler logged as started ({@code renewal of certificate … started: …}, written after the
     * document), timed by the log's first field (ISO-8601, Spring Boot's default console format).
     */
    static RenewalBench.Started renewalsStarted(Path log) {
        int count = 0;
        Instant first = null;
        Instant last = null;
        try (var lines = Files.lines(log)) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.contains("RenewalScheduler") && line.contains("renewal of certificate") && line.contains(" started: ")) {
                    try {
                        Instant at = OffsetDateTime.parse(line.substring(0, line.indexOf(' '))).toInstant();
                        first = first == null ? at : first;
                        last = at;
                        count++;
                    } catch (RuntimeException e) {
                        // not a line of the default format: not timed
                    }
                }
            }
        } catch (IOException | UncheckedIOException e) {
            return new RenewalBench.Started(count, first, last);
        }
        return new RenewalBench.Started(count, first, last);
    }

    /**
     * The first line of each kind of WARN or ERROR in the service's log (at most five), from the level on, with the
     * exception of the next line if there is one.
     */
    static List<String> warnings(Path log) {
        Map<String, String> kinds = new LinkedHashMap<>();
        try {
            List<String> lines = Files.readAllLines(log);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                int level = Math.max(line.indexOf(" WARN "), line.indexOf("ERROR "));
                if (level < 0) {
                    continue;
                }
                String next = i + 1 < lines.size() && lines.get(i + 1).matches("[a-z][\\w.]+(Exception|Error)\\b.*")
                        ? " " + lines.get(i + 1) : "";
                String message = (line.substring(level) + next).replaceAll("\\s+", " ").strip();
                String kind = message.replaceAll("[0-9a-f-]{8,}|crt_[a-z2-7]+|\\d+", "#");
                kinds.putIfAbsent(kind.length() > 80 ? kind.substring(0, 80) : kind,
                        message.length() > 240 ? message.substring(0, 240) + "…" : message);
            }
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
        return kinds.values().stream().limit(5).toList();
    }

    /**
     * ": <the first line naming an error>" of a log since the process was last started, or nothing: an
     * {@code …Error} or {@code …Exception} with a message, the last {@code Caused by:} line (the deepest cause) first,
     * a dropped collection that did not exist (the loader's first call) left out.
     */
    static String firstError(Path log) {
        try {
            List<String> all = Files.readAllLines(log);
            int session = 0;
            for (int i = 0; i < all.size(); i++) {
                session = all.get(i).startsWith("==== certflow devstack") ? i : session;
            }
            List<String> lines = all.subList(session, all.size()).stream()
                    .filter(l -> l.matches(".*(Error|Exception)\\b.*:.*") && !l.contains("ns not found")).toList();
            Optional<String> cause = lines.stream().filter(l -> l.startsWith("Caused by:")).reduce((a, b) -> b);
            return cause.or(() -> lines.stream().findFirst()).map(l -> ": " + shorten(l.strip())).orElse("");
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** What the Mongo wire server said in a failed call ({@code Unknown error: Chunk 94 not found}), else the text shortened. */
    static String storeError(String failure) {
        Matcher m = STORE_ERROR.matcher(failure);
        return m.find() ? "`" + m.group(1).replace("Unknown error: ", "") + "`" : shorten(failure);
    }

    private static String shorten(String text) {
        return text.length() > 240 ? text.substring(0, 240) + "…" : text;
    }
}
