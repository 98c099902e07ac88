package io.certflow.order.ordering;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class CertificateLifetimesTest {

    @Test
    void theLongestLifetimeShrinksOnTheBallotsDates() {
        assertThat(CertificateLifetimes.maxDays(Instant.parse("2026-03-14T23:59:59Z"))).isEqualTo(398);
        assertThat(CertificateLifetimes.maxDays(Instant.parse("2026-11-27T00:00:00Z"))).isEqualTo(200);
        assertThat(CertificateLifetimes.maxDays(Instant.parse("2027-03-15T00:00:00Z"))).isEqualTo(100);
        assertThat(CertificateLifetimes.maxDays(Instant.parse("2029-03-15T00:00:00Z"))).isEqualTo(47);
    }

    @Test
    void aTermOutlivesAnyOneCertificate() {
        Instant start = Instant.parse("2026-11-27T00:00:00Z");

        // 200 days to 2027-06-15, then 100-day certificates until 2029-03-15 crosses into 47-day ones
        assertThat(CertificateLifetimes.fewestCertificates(start, Instant.parse("2027-11-27T00:00:00Z"))).isEqualTo(3);
        assertThat(CertificateLifetimes.fewestCertificates(start, Instant.parse("2029-11-27T00:00:00Z"))).isEqualTo(13);
        assertThat(CertificateLifetimes.fewestCertificates(start, start)).isZero();
    }
}
