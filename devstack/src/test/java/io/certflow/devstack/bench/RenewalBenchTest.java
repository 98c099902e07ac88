package io.certflow.devstack.bench;

import io.certflow.devstack.DevstackException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RenewalBenchTest {

    @Test
    void defaultsAreAMillionHostedTenThousandDueOnTheH2StoreAsUpRunsIt() {
        RenewalBench.Options o = RenewalBench.Options.parse(List.of());
        assertThat(o.hosted()).isEqualTo(1_000_000);
        assertThat(o.due()).isEqualTo(10_000);
        assertThat(o.steady()).isEqualTo(60);
        assertThat(o.timeout()).isEqualTo(Duration.ofMinutes(20));
        assertThat(o.memoryStore()).isFalse();
        assertThat(o.storeHeap()).isEqualTo("256m");
        assertThat(o.probeRuns()).isEqualTo(1);
    }

    @Test
    void optionsAreRead() {
        RenewalBench.Options o = RenewalBench.Options.parse(List.of("--hosted", "50000", "--due", "1000", "--steady",
                "30", "--timeout-minutes", "5", "--memory-store"));
        assertThat(o.hosted()).isEqualTo(50_000);
        assertThat(o.due()).isEqualTo(1_000);
        assertThat(o.steady()).isEqualTo(30);
        assertThat(o.timeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(o.storeHeap()).as("about 12 KiB a certificate in memory").isEqualTo("2g");
        assertThat(o.probeRuns()).isEqualTo(3);
        assertThat(RenewalBench.Options.parse(List.of("--mongo-heap", "4g", "--no-probe")))
                .extracting(RenewalBench.Options::storeHeap, RenewalBench.Options::probeRuns).containsExactly("4g", 0);
    }

    @Test
    void badOptionsAreRefusedWithTheirName() {
        assertThatThrownBy(() -> RenewalBench.Options.parse(List.of("--hosted", "10", "--due", "11")))
                .isInstanceOf(DevstackException.class).hasMessageContaining("--due");
        assertThatThrownBy(() -> RenewalBench.Options.parse(List.of("--mongo-heap", "lots")))
                .isInstanceOf(DevstackException.class).hasMessageContaining("--mongo-heap");
        assertThatThrownBy(() -> RenewalBench.Options.parse(List.of("--fast")))
                .isInstanceOf(DevstackException.class).hasMessageContaining("--fast");
    }

    @Test
    void theLiveHeapIsTheSumOfTheGenerationsUsed() {
        String serial = """
                24910:
                 def new generation   total 438720K, used 1000K [0x0000000700000000, 0x000000071dc00000)
                  eden space 390016K,   0% used [0x0000000700000000, 0x0000000700000000)
                 tenured generation   total 974700K, used 584819K [0x0000000755550000, 0x0000000790d2b000)
                   the space 974700K,  59% used [0x0000000755550000, 0x000000077906ce80)
                 Metaspace       used 9015K, committed 9152K, reserved 1114112K
                  class space    used 1081K, committed 1152K, reserved 1048576K
                """;
        assertThat(LiveHeap.used(serial)).contains(585_819L);
        assertThat(LiveHeap.used(" garbage-first heap   total 262144K, used 12345K [0x00000000f0000000)\n"))
                .contains(12_345L);
        assertThat(LiveHeap.used("12: Could not attach")).isEmpty();
    }

    @Test
    void aStoreErrorIsShownAsTheStoreSaidIt() {
        assertThat(BenchLogs.storeError("org.springframework.data.mongodb.UncategorizedMongoDbException: Command failed"
                + " with error -1: 'Unknown error: Chunk 2071 not found [2.3.232/9]' on server 127.0.0.1:45637. The full"
                + " response is {...}")).isEqualTo("`Chunk 2071 not found [2.3.232/9]`");
        assertThat(BenchLogs.storeError("java.net.SocketException: Connection reset"))
                .isEqualTo("java.net.SocketException: Connection reset");
    }
}
