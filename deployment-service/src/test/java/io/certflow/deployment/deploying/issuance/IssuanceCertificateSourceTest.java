package io.certflow.deployment.deploying.issuance;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.certflow.deployment.deploying.CertificateUnavailableException;
import io.certflow.deployment.target.CertificateBundle;
import io.certflow.deployment.testing.FakeIssuanceService;
import io.certflow.deployment.testing.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IssuanceCertificateSourceTest {

    private final TestCertificates.Issued issued = TestCertificates.leaf(TestCertificates.randomSerial(), "www.example.test");
    private FakeIssuanceService issuance;
    private HttpServer other;

    @AfterEach
    void stop() {
        if (issuance != null) {
            issuance.close();
        }
        if (other != null) {
            other.stop(0);
        }
    }

    private IssuanceCertificateSource source(String url, String token) {
        return new IssuanceCertificateSource(URI.create(url), token, Duration.ofSeconds(5), new ObjectMapper());
    }

    @Test
    void fetchesTheBundleWithTheInternalToken() throws Exception {
        issuance = new FakeIssuanceService("secret-token");
        issuance.put("cert-1", issued);

        CertificateBundle bundle = source(issuance.url() + "/", "secret-token").fetch("cert-1", issued.serialHex());
        assertThat(issuance.lastCaller()).as("named in issuance's audit log").isEqualTo("deployment-service");

        assertThat(bundle.leafSerialNumber()).isEqualTo(issued.serialHex());
        assertThat(bundle.privateKeyPem()).isEqualTo(issued.keyPem());
        assertThat(issuance.rejected()).isZero();
    }

    @Test
    void aWrongTokenOrAnUnknownVersionIsNotRetried() throws Exception {
        issuance = new FakeIssuanceService("secret-token");
        issuance.put("cert-1", issued);

        assertThatThrownBy(() -> source(issuance.url(), "wrong").fetch("cert-1", issued.serialHex()))
                .isInstanceOfSatisfying(CertificateUnavailableException.class, e -> assertThat(e.retryable()).isFalse())
                .hasMessageContaining("rejected the internal token").hasMessageNotContaining("wrong");
        assertThatThrownBy(() -> source(issuance.url(), "secret-token").fetch("cert-1", "abc"))
                .isInstanceOfSatisfying(CertificateUnavailableException.class, e -> assertThat(e.retryable()).isFalse())
                .hasMessageContaining("404");
    }

    @Test
    void serverErrorsAndUnreachableServersAreRetryableAndRetryAfterIsKept() throws Exception {
        other = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        other.createContext("/", exchange -> {
            try (exchange) {
                exchange.getResponseHeaders().add("Retry-After", "7");
                exchange.sendResponseHeaders(503, -1);
            }
        });
        other.start();

        assertThatThrownBy(() -> source("http://127.0.0.1:" + other.getAddress().getPort(), "t").fetch("c", "ab"))
                .isInstanceOfSatisfying(CertificateUnavailableException.class, e -> {
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
                });
        other.stop(0);
        assertThatThrownBy(() -> source("http://127.0.0.1:" + other.getAddress().getPort(), "t").fetch("c", "ab"))
                .isInstanceOfSatisfying(CertificateUnavailableException.class, e -> assertThat(e.retryable()).isTrue())
                .hasMessageContaining("not reachable");
        other = null;
    }

    @Test
    void aBundleWhoseLeafIsAnotherVersionIsRefused() throws Exception {
        issuance = new FakeIssuanceService("t");
        TestCertificates.Issued wrong = TestCertificates.leaf(TestCertificates.randomSerial(), "www.example.test");
        issuance.put("cert-1", issued.serialHex(), wrong);

        assertThatThrownBy(() -> source(issuance.url(), "t").fetch("cert-1", issued.serialHex()))
                .isInstanceOfSatisfying(CertificateUnavailableException.class, e -> assertThat(e.retryable()).isFalse())
                .hasMessageContaining("sent leaf " + wrong.serialHex());
    }

    @Test
    void neverPrintsTheToken() {
        assertThat(source("http://127.0.0.1:1", "very-secret").toString()).doesNotContain("very-secret");
    }
}
