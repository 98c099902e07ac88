package io.certflow.deployment.persistence;

import io.certflow.events.v1.CertificateIssued;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class IssuedCertificateTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static CertificateIssued issued(String serial, Instant notBefore, String... domains) {
        return new CertificateIssued(UUID.randomUUID(), notBefore, "acct", "cert-1", "attempt", serial, "ff",
                notBefore, notBefore.plusSeconds(90 * 86400), List.of(domains), "CN=CA", "-----BEGIN CERTIFICATE-----", null);
    }

    @Test
    void theNewestVersionIsTheLatest() {
        IssuedCertificate certificate = new IssuedCertificate("cert-1", "acct");

        certificate.record(issued("00:AA", T0, "www.example.com"));
        certificate.record(issued("bb", T0.plusSeconds(86400), "www.example.com", "example.com"));

        assertThat(certificate.getLatestSerialNumber()).isEqualTo("bb");
        assertThat(certificate.getDomains()).containsExactly("www.example.com", "example.com");
        assertThat(certificate.getVersions()).extracting(IssuedCertificate.Version::serialNumber).containsExactly("aa", "bb");
    }

    @Test
    void anOlderVersionAnnouncedAgainOrLateDoesNotTurnTheClockBack() {
        IssuedCertificate certificate = new IssuedCertificate("cert-1", "acct");
        certificate.record(issued("aa", T0, "www.example.com"));
        certificate.record(issued("bb", T0.plusSeconds(86400), "www.example.com"));

        certificate.record(issued("aa", T0.plusSeconds(2 * 86400), "www.example.com"));
        certificate.record(issued("cc", T0.minusSeconds(86400), "www.example.com"));

        assertThat(certificate.getLatestSerialNumber()).isEqualTo("bb");
        assertThat(certificate.findVersion("cc")).isPresent();
    }
}
