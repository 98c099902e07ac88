package io.certflow.devstack;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The certID rules of RFC 9773 §4.1 as {@link AriEndpoint} checks them. */
class AriEndpointTest {

    @Test
    void theRfcExampleCertIdNamesItsSerial() {
        // RFC 9773 §4.1: AKI 69:88:5B:6B:87:46:40:41:E1:B3:7B:84:7B:A0:AE:2C:DE:01:C8:D4, serial 00:87:65:43:21
        assertThat(AriEndpoint.serialOf("aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE")).contains("87654321");
    }

    @Test
    void paddingAnotherAlphabetOrANonMinimalSerialIsMalformed() {
        assertThat(AriEndpoint.serialOf("aYhba4dGQEHhs3uEe6CuLN4ByNQ=.AIdlQyE=")).isEmpty();
        assertThat(AriEndpoint.serialOf("aYhba4dGQEHhs3uEe6CuLN4ByNQ+AIdlQyE")).isEmpty();
        assertThat(AriEndpoint.serialOf("aYhba4dGQEHhs3uEe6CuLN4ByNQ")).isEmpty();
        assertThat(AriEndpoint.serialOf("aYhba4dGQEHhs3uEe6CuLN4ByNQ.AAE")).isEmpty(); // 00 01: not minimal
        assertThat(AriEndpoint.serialOf("aYhba4dGQEHhs3uEe6CuLN4ByNQ.hw")).isEmpty(); // 0x87: negative
    }

    @Test
    void theCertIdOfACertificateIsWhatTheEndpointParses() {
        Pki.Issued ca = Pki.newCa("ari test CA", Duration.ofDays(1));
        Pki.Issued leaf = Pki.newServerCertificate(ca, List.of("localhost"), List.of(), Duration.ofDays(1));

        String certId = AriEndpoint.certId(leaf.certificate());

        assertThat(AriEndpoint.serialOf(certId)).contains(leaf.certificate().getSerialNumber().toString(16));
    }
}
