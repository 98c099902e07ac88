package io.certflow.issuance.ca.acme;

import com.sun.net.httpserver.HttpServer;
import io.certflow.issuance.ca.CaException;
import io.certflow.issuance.ca.CaTransientException;
import io.certflow.issuance.keys.KeyType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A directory URL that is not an ACME server (a web page, garbage, an error page, an empty directory): the
 * adapter ends with a {@link CaException} that names what it got, never a crash or an acme4j type. The state
 * machine then backs off and finally fails the attempt with that reason.
 */
class NotAnAcmeServerTest {

    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        answer("/html", 200, "text/html", "<html><body>Welcome to nginx!</body></html>");
        answer("/garbage", 200, "application/json", "{\"newNonce\": 42, \"newAccount\": [\"x\"]");
        answer("/empty", 200, "application/json", "{}");
        answer("/error", 503, "text/plain", "upstream unavailable");
        answer("/missing", 404, "text/html", "<h1>Not Found</h1>");
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "/html, true",
            "/garbage, true",
            "/empty, false",
            "/error, true",
            "/missing, false"})
    void aDirectoryThatIsNotAcmeEndsInACaExceptionThatSaysWhat(String path, boolean transientFailure) {
        AcmeCertificateAuthority ca = new AcmeCertificateAuthority(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path), null, Duration.ofSeconds(3));

        CaException e = catchThrowableOfType(CaException.class,
                () -> ca.registerAccount(KeyType.EC_P256.generate(), Optional.empty()));

        assertThat(e).as("a CaException for " + path).isNotNull();
        assertThat(e.getMessage()).contains("register account");
        assertThat(e instanceof CaTransientException).as("transient for " + path + ": " + e.getMessage())
                .isEqualTo(transientFailure);
        assertThat(e.problemType()).isNotBlank();
    }

    private void answer(String path, int status, String contentType, String body) {
        server.createContext(path, exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
    }
}
