package io.certflow.devstack.bench;

import io.certflow.devstack.DevstackException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The options of {@code bench dns}, reading dnsperf's output, and the rate every server can take. */
class DnsBenchTest {

    @TempDir
    Path dir;

    @Test
    void optionsHaveDefaultsAndAreRead() {
        DnsBench.Options d = DnsBench.Options.parse(List.of());
        assertThat(d.names()).isEqualTo(1000);
        assertThat(d.seconds()).isEqualTo(20);
        assertThat(d.rate()).as("0: chosen from the measured maxima").isZero();
        assertThat(d.memoryStore()).isTrue();

        DnsBench.Options o = DnsBench.Options.parse(List.of("--names", "50", "--seconds", "3", "--rate", "500",
                "--clients", "2", "--workers", "8", "--warmup-seconds", "1", "--outstanding", "20", "--no-memory"));
        assertThat(o).isEqualTo(new DnsBench.Options(50, 3, 1, 2, 20, 500, 8, false));
        assertThatThrownBy(() -> DnsBench.Options.parse(List.of("--names", "-1")))
                .isInstanceOf(DevstackException.class).hasMessageContaining("bench dns: --names");
        assertThatThrownBy(() -> DnsBench.Options.parse(List.of("--tcp")))
                .isInstanceOf(DevstackException.class).hasMessageContaining("--tcp");
    }

    @Test
    void readsDnsperfsSummaryAndPerQueryLatencies() throws IOException {
        Path output = dir.resolve("out.txt");
        Files.writeString(output, """
                DNS Performance Testing Tool
                Version 2.10.0

                [Status] Command line: dnsperf -s 127.0.0.1 -p 15399 -d q.txt -n 2 -v
                > NOERROR abc.acme.certflow.test TXT 0.001000
                > NXDOMAIN nope.acme.certflow.test TXT 0.002000
                > NOERROR abc.acme.certflow.test TXT 0.003000
                > NXDOMAIN nope.acme.certflow.test TXT 0.010000
                [Status] Testing complete (end of file)

                Statistics:

                  Queries sent:         5
                  Queries completed:    4 (80.00%)
                  Queries lost:         1 (20.00%)

                  Response codes:       NOERROR 2 (50.00%), NXDOMAIN 2 (50.00%)
                  Average packet size:  request 40, response 75
                  Run time (s):         0.004864
                  Queries per second:   822.368421

                  Average Latency (s):  0.004000 (min 0.001000, max 0.010000)
                  Latency StdDev (s):   0.000084
                """);

        Dnsperf.Result r = Dnsperf.parse(output);

        assertThat(r.queriesPerSecond()).isEqualTo(822.368421);
        assertThat(r.sent()).isEqualTo(5);
        assertThat(r.completed()).isEqualTo(4);
        assertThat(r.lost()).isEqualTo(1);
        assertThat(r.responseCodes()).isEqualTo("NOERROR 2 (50.00%), NXDOMAIN 2 (50.00%)");
        assertThat(r.averageLatency()).isEqualTo(Duration.ofMillis(4));
        assertThat(r.latencies().count()).isEqualTo(4);
        assertThat(r.latencies().percentile(50)).isEqualTo(Duration.ofMillis(2));
        assertThat(r.latencies().percentile(99)).isEqualTo(Duration.ofMillis(10));
        assertThat(DnsBench.millis(r.latencies().percentile(50))).isEqualTo("2.00 ms");
    }

    @Test
    void outputWithoutStatisticsIsAClearError() throws IOException {
        Path output = dir.resolve("broken.txt");
        Files.writeString(output, "Error: could not open q.txt\n");
        assertThatThrownBy(() -> Dnsperf.parse(output)).isInstanceOf(DevstackException.class)
                .hasMessageContaining("queries per second").hasMessageContaining(output.toString());
    }

    @Test
    void theFixedRateIsHalfTheSlowestMaximum() {
        assertThat(DnsBench.autoRate(List.of(phase(41_234), phase(2_955), phase(18_000)))).isEqualTo(1_470);
        assertThat(DnsBench.autoRate(List.of(phase(12)))).as("never below 10").isEqualTo(10);
    }

    private static DnsBench.Phase phase(double qps) {
        return new DnsBench.Phase(new Dnsperf.Result(qps, 0, 0, 0, "", Duration.ZERO, new Latencies()),
                new DnsBench.Cpu(0, -1, Duration.ofSeconds(1)));
    }
}
