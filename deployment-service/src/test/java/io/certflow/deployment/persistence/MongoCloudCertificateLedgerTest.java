package io.certflow.deployment.persistence;

import io.certflow.deployment.target.CloudCertificateLedger;
import io.certflow.testsupport.InMemoryMongo;
import io.certflow.testsupport.SettableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The cloud certificate ledger on the Mongo wire server: one upload per credential and version, the oldest pruned. */
class MongoCloudCertificateLedgerTest {

    private final InMemoryMongo store = InMemoryMongo.start("ledger-test");
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final MongoCloudCertificateLedger ledger = new MongoCloudCertificateLedger(store.template(),
            SettableClock.reading(() -> now));

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void resourcesOfOneAccountDeployedAtOnceUploadTheVersionOnce() {
        AtomicInteger uploads = new AtomicInteger();
        List<CompletableFuture<String>> calls = IntStream.range(0, 8).mapToObj(i -> CompletableFuture.supplyAsync(() ->
                ledger.uploadOnce("cred-1", "0a01", () -> {
                    uploads.incrementAndGet();
                    sleep(100);
                    return "arn:cert/" + uploads.get();
                }))).toList();

        assertThat(calls.stream().map(CompletableFuture::join).distinct()).containsExactly("arn:cert/1");
        assertThat(uploads).hasValue(1);
        assertThat(ledger.uploadOnce("cred-2", "0a01", () -> "arn:other")).as("another account uploads its own")
                .isEqualTo("arn:other");
    }

    @Test
    void afterARotationTheUploadsBeyondTheNewestAreWhatMayGo() {
        for (String serial : List.of("01", "02", "03", "04")) {
            ledger.uploadOnce("cred-1", serial, () -> "id-" + serial);
            now = now.plusSeconds(60);
        }

        assertThat(ledger.beyondNewest("cred-1", 2)).containsExactly(new CloudCertificateLedger.Upload("01", "id-01"),
                new CloudCertificateLedger.Upload("02", "id-02"));
        ledger.forget("cred-1", "id-01");
        assertThat(ledger.beyondNewest("cred-1", 2)).extracting(CloudCertificateLedger.Upload::serialNumber).containsExactly("02");
        assertThat(ledger.beyondNewest("cred-1", 10)).isEmpty();
    }

    @Test
    void aFailedUploadRecordsNothing() {
        try {
            ledger.uploadOnce("cred-1", "0b", () -> {
                throw new IllegalStateException("quota");
            });
        } catch (IllegalStateException expected) {
            // the cloud refused
        }
        assertThat(ledger.uploadOnce("cred-1", "0b", () -> "id-after")).isEqualTo("id-after");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
