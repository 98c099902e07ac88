package io.certflow.devstack.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The heap a running JVM really needs: {@code jcmd <pid> GC.run} (a full collection), then the used size of its
 * generations from {@code jcmd <pid> GC.heap_info}. Peak RSS says what the process took; this says what its live
 * objects hold, which is what a fleet ten times larger grows.
 */
final class LiveHeap {

    /** A generation's line: {@code " tenured generation   total 974700K, used 584819K [...]"} (one leading space). */
    private static final Pattern GENERATION = Pattern.compile("^ ?\\S.*?\\s+total (\\d+)K, used (\\d+)K");

    private LiveHeap() {
    }

    /** The used heap of {@code pid} in KiB after a full GC, or empty when jcmd is missing or fails. */
    static Optional<Long> afterFullGc(long pid) {
        if (run(pid, "GC.run").isEmpty()) {
            return Optional.empty();
        }
        return run(pid, "GC.heap_info").flatMap(LiveHeap::used);
    }

    /** The sum of the used sizes of the generations in {@code GC.heap_info}'s output. */
    static Optional<Long> used(String heapInfo) {
        long used = 0;
        boolean found = false;
        for (String line : heapInfo.split("\n")) {
            Matcher m = GENERATION.matcher(line);
            if (m.find() && !line.contains("Metaspace") && !line.contains("class space")) {
                used += Long.parseLong(m.group(2));
                found = true;
            }
        }
        return found ? Optional.of(used) : Optional.empty();
    }

    private static Optional<String> run(long pid, String command) {
        try {
            Path beside = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            String jcmd = Files.isExecutable(beside) ? beside.toString() : "jcmd";
            Process p = new ProcessBuilder(jcmd, Long.toString(pid), command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            return p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0 ? Optional.of(out) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
