package io.certflow.devstack.bench;

import io.certflow.devstack.Binaries;
import io.certflow.devstack.DevstackException;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run of {@code dnsperf} (Debian package {@code dnsperf}) over UDP against a server on loopback, and
 * what it printed: queries per second, completed and lost queries, response codes, and with {@code -v}
 * every query's latency. Exists so that both servers of {@code ./certflow bench dns} are measured by the
 * same outside tool, the way DNS operators measure servers.
 */
final class Dnsperf {

    static final String BINARY = "dnsperf";

    /**
     * How to load the server.
     *
     * @param seconds     how long to send
     * @param clients     simulated clients (source ports)
     * @param outstanding queries in flight at most
     * @param rate        queries per second to send, or 0 for as many as the server answers
     */
    record Load(int seconds, int clients, int outstanding, int rate) {
        /** Per-query latencies are printed only at a fixed rate, where printing them costs little. */
        boolean perQueryLatency() {
            return rate > 0;
        }
    }

    /**
     * What dnsperf reported.
     *
     * @param queriesPerSecond completed queries per second
     * @param sent             queries sent
     * @param completed        queries answered
     * @param lost             queries not answered within the timeout
     * @param responseCodes    e.g. {@code NOERROR 1000 (90.91%), NXDOMAIN 100 (9.09%)}
     * @param averageLatency   dnsperf's mean latency
     * @param latencies        every query's latency (empty unless {@link Load#perQueryLatency()})
     */
    record Result(double queriesPerSecond, long sent, long completed, long lost, String responseCodes,
                  Duration averageLatency, Latencies latencies) {
    }

    private static final Pattern SENT = Pattern.compile("Queries sent:\\s+(\\d+)");
    private static final Pattern COMPLETED = Pattern.compile("Queries completed:\\s+(\\d+)");
    private static final Pattern LOST = Pattern.compile("Queries lost:\\s+(\\d+)");
    private static final Pattern CODES = Pattern.compile("Response codes:\\s+(.*)");
    private static final Pattern QPS = Pattern.compile("Queries per second:\\s+([0-9.]+)");
    private static final Pattern AVERAGE = Pattern.compile("Average Latency \\(s\\):\\s+([0-9.]+)");

    private Dnsperf() {
    }

    static boolean installed() {
        return Binaries.isAvailable(BINARY);
    }

    /** Runs dnsperf against 127.0.0.1:{@code port} with {@code queries}, its output kept in {@code output}. */
    static Result run(int port, Path queries, Load load, Path output) {
        List<String> cmd = new ArrayList<>(List.of(Binaries.require(BINARY).toString(), "-s", "127.0.0.1",
                "-p", Integer.toString(port), "-m", "udp", "-d", queries.toString(), "-l", Integer.toString(load.seconds()),
                "-c", Integer.toString(load.clients()), "-q", Integer.toString(load.outstanding()), "-t", "2"));
        if (load.rate() > 0) {
            cmd.addAll(List.of("-Q", Integer.toString(load.rate())));
        }
        if (load.perQueryLatency()) {
            cmd.add("-v");
        }
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!p.waitFor(load.seconds() + 60L, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new DevstackException("dnsperf did not finish; see " + output);
            }
            if (p.exitValue() != 0) {
                throw new DevstackException("dnsperf failed with code " + p.exitValue() + "; see " + output);
            }
            return parse(output);
        } catch (IOException e) {
            throw new DevstackException("cannot run dnsperf: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevstackException("interrupted", e);
        }
    }

    /** Reads dnsperf's output; per-query lines ({@code > NOERROR name TXT 0.000231}) give the latencies. */
    static Result parse(Path output) throws IOException {
        Latencies latencies = new Latencies();
        StringBuilder summary = new StringBuilder();
        try (BufferedReader in = Files.newBufferedReader(output)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("> ")) {
                    String seconds = line.substring(line.lastIndexOf(' ') + 1);
                    latencies.add(Duration.ofNanos(Math.round(Double.parseDouble(seconds) * 1e9)));
                } else {
                    summary.append(line).append('\n');
                }
            }
        }
        String text = summary.toString();
        return new Result(Double.parseDouble(find(QPS, text, output)), Long.parseLong(find(SENT, text, output)),
                Long.parseLong(find(COMPLETED, text, output)), Long.parseLong(find(LOST, text, output)),
                find(CODES, text, output).strip(),
                Duration.ofNanos(Math.round(Double.parseDouble(find(AVERAGE, text, output)) * 1e9)), latencies);
    }

    private static String find(Pattern pattern, String text, Path output) {
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            throw new DevstackException("dnsperf printed no '" + pattern.pattern().replace("\\", "")
                    .replaceAll("[(:].*", "").toLowerCase(Locale.ROOT) + "'; see " + output);
        }
        return m.group(1);
    }
}
