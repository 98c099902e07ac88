package io.certflow.devstack.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The benchmark zone: the same records for both servers, the same queries every run. */
class BenchZoneTest {

    @TempDir
    Path dir;

    @Test
    void namesLookLikeCertflowLabelsAndSomeHoldSeveralValues() {
        BenchZone zone = new BenchZone(100, 0.1, 1);
        assertThat(zone.records()).hasSize(100);
        assertThat(zone.records().keySet()).allMatch(n -> n.matches("[a-z2-7]{32}\\.acme\\.certflow\\.test\\."));
        assertThat(zone.records().values()).allSatisfy(values ->
                assertThat(values).allMatch(v -> v.matches("[A-Za-z0-9_-]{43}")));
        assertThat(zone.records().values().stream().filter(v -> v.size() == 2)).hasSize(16);
        assertThat(zone.records().values().stream().filter(v -> v.size() == 3)).hasSize(4);
        assertThat(zone.values()).isEqualTo(100 + 20 + 4);
    }

    @Test
    void queriesAskEveryNameOnceAndATenthMoreThatDoNotExist() {
        BenchZone zone = new BenchZone(100, 0.1, 1);
        assertThat(zone.queryNames()).hasSize(110).containsAll(zone.records().keySet());
        assertThat(zone.queryNames().stream().filter(n -> !zone.records().containsKey(n))).hasSize(10);
        assertThat(new BenchZone(100, 0.1, 1).queryNames()).as("seeded").isEqualTo(zone.queryNames());
    }

    @Test
    void bothServersGetTheSameRecords() throws IOException {
        BenchZone zone = new BenchZone(30, 0.1, 7);
        zone.writeRecords(dir.resolve("records.txt"));
        zone.writeZoneFile(dir.resolve("zone"));
        zone.writeQueries(dir.resolve("queries"));

        Set<String> fromRecords = Files.readAllLines(dir.resolve("records.txt")).stream().collect(Collectors.toSet());
        List<String> zoneLines = Files.readAllLines(dir.resolve("zone"));
        Set<String> fromZone = zoneLines.stream().filter(l -> l.contains(" IN TXT "))
                .map(l -> l.replaceAll("^(\\S+) 5 IN TXT \"(.*)\"$", "$1 $2")).collect(Collectors.toSet());
        assertThat(fromZone).isEqualTo(fromRecords).hasSize(zone.values());
        assertThat(zoneLines).anyMatch(l -> l.matches("@\\s+IN SOA ns1\\.acme\\.certflow\\.test\\. .* 1$"));
        assertThat(Files.readAllLines(dir.resolve("queries"))).hasSize(33).allMatch(l -> l.endsWith(" TXT"));
    }
}
