package io.certflow.deployment.target;

import io.certflow.deployment.testing.TestCertificates;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;

import static org.assertj.core.api.Assertions.assertThat;

class CertificateBundleTest {

    private final TestCertificates.Issued issued =
            TestCertificates.leaf(new BigInteger("00ab01", 16), "www.example.test", "*.example.test");

    @Test
    void neverPrintsTheKey() {
        CertificateBundle bundle = new CertificateBundle(issued.chainPem(), issued.keyPem());

        assertThat(bundle.toString()).contains("ab01").contains("<redacted>").doesNotContain("PRIVATE KEY")
                .doesNotContain(issued.keyPem().lines().skip(1).findFirst().orElseThrow());
        PreviousCertificate previous = new PreviousCertificate(issued.chainPem(), issued.keyPem());
        assertThat(previous.toString()).contains("ab01").doesNotContain("PRIVATE KEY");
    }

    @Test
    void readsTheLeafOfTheChain() {
        CertificateBundle bundle = new CertificateBundle(issued.chainPem(), issued.keyPem());

        assertThat(bundle.chain()).hasSize(2);
        assertThat(bundle.leafSerialNumber()).isEqualTo("ab01");
        assertThat(ServedCertificate.of(bundle.leaf()).dnsNames()).containsExactly("www.example.test", "*.example.test");
    }

    @Test
    void serialsAreNormalized() {
        assertThat(PemCertificates.normalizeSerial("00:AB:01")).isEqualTo("ab01");
        assertThat(PemCertificates.normalizeSerial("0AB01")).isEqualTo("ab01");
    }
}
