package io.certflow.devstack.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What deployment-service's log says about one version's deployment, for the timings its job results do not carry:
 * when the job began to run ({@code running deployment job …}), and per resource when its target began
 * ({@code deploying certificate <serial> to <type> resource <name> (<id>)}) and when it proved the new certificate
 * served ({@code <type> resource <name> (<id>) serves certificate <serial>}). Lines start with Spring Boot's
 * ISO-8601 UTC time stamp (milliseconds).
 *
 * @param jobStarted  the first {@code running deployment job} line of the version, if any
 * @param perResource from the first {@code deploying} to the last {@code serves} line of each resource that has both
 * @param firstDeploy the earliest {@code deploying} line
 * @param lastServed  the latest {@code serves} line
 */
record DeployLog(Optional<Instant> jobStarted, Latencies perResource, Optional<Instant> firstDeploy,
                 Optional<Instant> lastServed) {

    private static final Pattern DEPLOYING = Pattern.compile("deploying certificate (\\S+) to \\S+ resource \\S+ \\(([^)]+)\\)");
    private static final Pattern SERVES = Pattern.compile("\\S+ resource \\S+ \\(([^)]+)\\) serves certificate (\\S+)");
    private static final Pattern RUNNING = Pattern.compile("running deployment job \\S+ \\(\\S+ of certificate \\S+ version (\\S+)\\)");

    /** Reads {@code log} for version {@code serial}, from {@code since} on (a version may be deployed twice). */
    static DeployLog of(Path log, String serial, Instant since) {
        try {
            return of(Files.readAllLines(log, StandardCharsets.UTF_8), serial, since);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static DeployLog of(List<String> lines, String serial, Instant since) {
        Map<String, Instant> started = new HashMap<>();
        Map<String, Instant> served = new HashMap<>();
        Instant job = null;
        for (String line : lines) {
            if (!line.contains(serial)) {
                continue;
            }
            Optional<Instant> at = time(line);
            if (at.isEmpty() || at.get().isBefore(since)) {
                continue;
            }
            Matcher m = DEPLOYING.matcher(line);
            if (m.find() && m.group(1).equals(serial)) {
                started.putIfAbsent(m.group(2), at.get());
                continue;
            }
            m = SERVES.matcher(line);
            if (m.find() && m.group(2).equals(serial)) {
                served.put(m.group(1), at.get());
                continue;
            }
            m = RUNNING.matcher(line);
            if (m.find() && m.group(1).equals(serial) && job == null) {
                job = at.get();
            }
        }
        Latencies per = new Latencies();
        Instant first = null;
        Instant last = null;
        for (Map.Entry<String, Instant> s : started.entrySet()) {
            first = first == null || s.getValue().isBefore(first) ? s.getValue() : first;
            Instant done = served.get(s.getKey());
            if (done != null) {
                per.add(Duration.between(s.getValue(), done));
                last = last == null || done.isAfter(last) ? done : last;
            }
        }
        return new DeployLog(Optional.ofNullable(job), per, Optional.ofNullable(first), Optional.ofNullable(last));
    }

    private static Optional<Instant> time(String line) {
        int space = line.indexOf(' ');
        if (space < 20) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(line.substring(0, space)));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
