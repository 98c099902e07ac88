package io.certflow.devstack.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One line that says which machine a benchmark ran on (CPU model, cores, memory, JVM), because a figure
 * without its machine means nothing.
 */
final class Machine {
    private Machine() {
    }

    static String describe() {
        String cpu = "unknown CPU";
        long memKb = 0;
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
            memKb = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .findFirst().map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).orElse(0L);
        } catch (IOException | RuntimeException e) {
            // not Linux: say less
        }
        return "%s, %d cores, %d GiB, Java %s (%s)".formatted(cpu, Runtime.getRuntime().availableProcessors(),
                Math.round(memKb / 1024.0 / 1024.0), System.getProperty("java.version"), System.getProperty("os.name"));
    }
}
