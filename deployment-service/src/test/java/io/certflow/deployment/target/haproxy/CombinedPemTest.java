package io.certflow.deployment.target.haproxy;

import io.certflow.deployment.target.PreviousCertificate;
import io.certflow.deployment.testing.TestCertificates;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CombinedPemTest {

    private final TestCertificates.Issued issued = TestCertificates.leaf(TestCertificates.randomSerial(), "www.example.test");

    @Test
    void joinsChainAndKeyWithoutEmptyLines() {
        String combined = CombinedPem.join(issued.chainPem().replace("\n", "\r\n") + "\n\n", "\n" + issued.keyPem());

        assertThat(combined).doesNotContain("\n\n").doesNotContain("\r").endsWith("-----END PRIVATE KEY-----\n")
                .startsWith("-----BEGIN CERTIFICATE-----");
    }

    @Test
    void splitsAFileBackIntoChainAndKey() {
        PreviousCertificate previous = CombinedPem.split(CombinedPem.join(issued.chainPem(), issued.keyPem()));

        assertThat(previous.serialNumber()).contains(issued.serialHex());
        assertThat(previous.certificateChainPem()).isEqualTo(CombinedPem.normalize(issued.chainPem()));
        assertThat(previous.privateKeyPem()).isEqualTo(CombinedPem.normalize(issued.keyPem()));
        assertThat(previous.toString()).doesNotContain("PRIVATE KEY-----");
    }

    @Test
    void keyFirstFilesAndMissingFilesWork() {
        PreviousCertificate keyFirst = CombinedPem.split(issued.keyPem() + issued.chainPem());
        assertThat(keyFirst.serialNumber()).contains(issued.serialHex());
        assertThat(keyFirst.privateKeyPem()).isEqualTo(CombinedPem.normalize(issued.keyPem()));

        assertThat(CombinedPem.split(null).present()).isFalse();
        assertThat(CombinedPem.split(issued.keyPem()).present()).isFalse();
    }
}
