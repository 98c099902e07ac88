package io.certflow.deployment.target.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.certflow.deployment.target.CertificateBundle;
import io.certflow.deployment.target.DeploymentOutcome;
import io.certflow.deployment.target.PemCertificates;
import io.certflow.deployment.target.TargetAccess;
import io.certflow.deployment.target.TargetResource;
import io.certflow.deployment.target.keystore.JavaTlsServer;
import io.certflow.deployment.testing.TestCertificates;
import io.certflow.deployment.tls.ServedCertificateReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The webhook adapter against a real HTTP receiver that checks the signature and the timestamp window with its
 * own code and answers as the test says, installing what it accepts into a real Java TLS server where the test
 * wants the served certificate proven.
 */
class WebhookTargetIT {

    private static final String NAME = "shop.example.test";
    private static final String SECRET = "whsec-8d1f0c2b7a4e4b6c9e3f";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TestCertificates.Issued initial = TestCertificates.leaf(TestCertificates.randomSerial(), NAME);
    private final TestCertificates.Issued first = TestCertificates.leaf(TestCertificates.randomSerial(), NAME);
    private final TestCertificates.Issued second = TestCertificates.leaf(TestCertificates.randomSerial(), NAME);
    private final ServedCertificateReader reader = new ServedCertificateReader(Duration.ofSeconds(2));
    private Receiver receiver;
    private JavaTlsServer tls;

    @BeforeEach
    void start() throws Exception {
        receiver = new Receiver(SECRET);
        tls = JavaTlsServer.serving(PemCertificates.parseChain(initial.chainPem()), initial.keyPair().getPrivate());
    }

    @AfterEach
    void stop() throws Exception {
        receiver.close();
        tls.close();
    }

    private WebhookTarget target(Duration requestTimeout, Clock clock) {
        return new WebhookTarget(reader, WebhookTarget.httpClient(Duration.ofSeconds(2)),
                new WebhookTarget.Settings(requestTimeout, Duration.ofSeconds(2), Duration.ofMillis(100), List.of()), clock);
    }

    private WebhookTarget target() {
        return target(Duration.ofSeconds(5), Clock.systemUTC());
    }

    private Map<String, String> config(boolean proveOverTls) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("url", receiver.url());
        if (proveOverTls) {
            config.put("tlsAddress", tls.address());
            config.put("serverName", NAME);
        }
        return config;
    }

    private static TargetResource resource(Map<String, String> config, String secret) {
        return new TargetResource("r1", "shop-edge", "webhook", config, List.of(),
                new TargetAccess("c1", Map.of(), Map.of("secret", secret)));
    }

    private static CertificateBundle bundle(TestCertificates.Issued issued) {
        return new CertificateBundle(issued.chainPem(), issued.keyPem());
    }

    private String served() {
        return reader.read("127.0.0.1", Integer.parseInt(tls.address().split(":")[1]), NAME).serialNumber().orElse(null);
    }

    /** The receiver installs what it was sent into the TLS server and says what it serves. */
    private Answer install(Received delivery) {
        try {
            PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getMimeDecoder()
                    .decode(delivery.body().path("privateKeyPem").asText()
                            .replaceAll("-----(BEGIN|END) PRIVATE KEY-----", ""))));
            tls.serve(PemCertificates.parseChain(delivery.body().path("certificateChainPem").asText()), key);
            return Answer.json(200, Map.of("servedSerialNumber", delivery.body().path("serialNumber").asText()));
        } catch (Exception e) {
            return new Answer(400, "cannot install: " + e, Duration.ZERO);
        }
    }

    @Test
    void theReceiverVerifiesTheSignedRequestInstallsTheCertificateAndItsServerIsReadBack() throws Exception {
        receiver.answer(this::install);
        Instant before = Instant.now();

        DeploymentOutcome outcome = target().deploy(resource(config(true), SECRET), bundle(first));

        assertThat(outcome.succeeded()).as(outcome.message()).isTrue();
        assertThat(outcome.servedSerialNumber()).isEqualTo(first.serialHex());
        assertThat(served()).isEqualTo(first.serialHex());
        assertThat(receiver.deliveries()).hasSize(1);
        Received delivery = receiver.deliveries().get(0);
        assertThat(delivery.rejection()).isNull();
        assertThat(Instant.ofEpochSecond(delivery.timestamp())).isBetween(before.minusSeconds(1), Instant.now());
        JsonNode body = delivery.body();
        assertThat(body.path("action").asText()).isEqualTo("deploy");
        assertThat(body.path("deliveryId").asText()).isEqualTo(delivery.deliveryHeader()).isNotBlank();
        assertThat(body.path("serialNumber").asText()).isEqualTo(first.serialHex());
        assertThat(JSON.convertValue(body.path("domains"), List.class)).containsExactly(NAME);
        assertThat(body.path("notBefore").asText()).isEqualTo(first.certificate().getNotBefore().toInstant().toString());
        assertThat(body.path("notAfter").asText()).isEqualTo(first.certificate().getNotAfter().toInstant().toString());
        assertThat(body.path("certificateChainPem").asText()).isEqualTo(first.chainPem());
        assertThat(body.path("privateKeyPem").asText()).isEqualTo(first.keyPem());
        assertThat(body.path("resourceName").asText()).isEqualTo("shop-edge");
    }

    @Test
    void withoutTheKeyAndWithoutProofTheAcknowledgementIsAllThatIsKnown() {
        receiver.answer(delivery -> new Answer(204, "", Duration.ZERO));
        Map<String, String> config = config(false);
        config.put("includePrivateKey", "false");

        DeploymentOutcome outcome = target().deploy(resource(config, SECRET), bundle(first));

        assertThat(outcome.succeeded()).as(outcome.message()).isTrue();
        assertThat(outcome.servedSerialNumber()).isNull();
        assertThat(outcome.message()).contains("accepted certificate " + first.serialHex() + " (HTTP 204)")
                .contains("did not say what it serves");
        assertThat(receiver.deliveries()).singleElement().satisfies(d -> {
            assertThat(d.rejection()).isNull();
            assertThat(d.body().has("privateKeyPem")).isFalse();
            assertThat(d.body().path("certificateChainPem").asText()).isEqualTo(first.chainPem());
        });
    }

    @Test
    void aReceiverWhoseServerKeepsTheOldCertificateGetsThePreviousOneBack() {
        WebhookTarget target = target();
        receiver.answer(this::install);
        assertThat(target.deploy(resource(config(true), SECRET), bundle(first)).succeeded()).isTrue();
        // now the receiver says yes to a deployment but installs nothing; it does install a restore
        receiver.answer(d -> d.body().path("action").asText().equals("restore") ? install(d)
                : new Answer(200, "", Duration.ZERO));

        DeploymentOutcome outcome = target.deploy(resource(config(true), SECRET), bundle(second));

        assertThat(outcome.status()).as(outcome.message()).isEqualTo(DeploymentOutcome.Status.ROLLED_BACK);
        assertThat(outcome.servedSerialNumber()).isEqualTo(first.serialHex());
        assertThat(outcome.message()).contains("serves " + first.serialHex() + " instead of " + second.serialHex())
                .contains("rolled back");
        assertThat(served()).isEqualTo(first.serialHex());
        assertThat(receiver.deliveries()).extracting(d -> d.body().path("action").asText() + " "
                + d.body().path("serialNumber").asText()).containsExactly("deploy " + first.serialHex(),
                "deploy " + second.serialHex(), "restore " + first.serialHex());
        assertThat(receiver.deliveries().get(2).body().path("privateKeyPem").asText()).isEqualTo(first.keyPem());
    }

    @Test
    void restoreSendsThePreviousCertificateAgain() {
        WebhookTarget target = target();
        receiver.answer(this::install);
        assertThat(target.deploy(resource(config(true), SECRET), bundle(first)).succeeded()).isTrue();
        DeploymentOutcome next = target.deploy(resource(config(true), SECRET), bundle(second));
        assertThat(next.succeeded()).as(next.message()).isTrue();
        assertThat(next.previous().serialNumber()).contains(first.serialHex());

        DeploymentOutcome restored = target.restore(resource(config(true), SECRET), next.previous());

        assertThat(restored.succeeded()).as(restored.message()).isTrue();
        assertThat(served()).isEqualTo(first.serialHex());
        assertThat(receiver.deliveries().get(2).body().path("action").asText()).isEqualTo("restore");
    }

    @Test
    void anAnswerNamingAnotherSerialFailsAndNothingEarlierIsKnownToRollBackTo() {
        receiver.answer(d -> Answer.json(200, Map.of("servedSerialNumber", "0A:BC")));

        DeploymentOutcome outcome = target().deploy(resource(config(false), SECRET), bundle(first));

        assertThat(outcome.status()).isEqualTo(DeploymentOutcome.Status.FAILED);
        assertThat(outcome.retryable()).isFalse();
        assertThat(outcome.servedSerialNumber()).isEqualTo("abc");
        assertThat(outcome.message()).contains("says it serves abc instead of " + first.serialHex())
                .contains("not rolled back");
        assertThat(receiver.deliveries()).hasSize(1);
    }

    @Test
    void aRefusalIsFinalAndShowsTheStartOfTheAnswerWithoutKeys() {
        receiver.answer(d -> new Answer(422, "{\"error\":\"" + "a".repeat(250) + "\"}", Duration.ZERO));

        DeploymentOutcome refused = target().deploy(resource(config(false), SECRET), bundle(first));

        assertThat(refused.status()).isEqualTo(DeploymentOutcome.Status.FAILED);
        assertThat(refused.retryable()).isFalse();
        assertThat(refused.message()).contains("refused certificate " + first.serialHex() + ": HTTP 422: {\"error\":\""
                + "a".repeat(190)).doesNotContain("a".repeat(191));

        receiver.answer(d -> new Answer(400, "bad key: " + d.body().path("privateKeyPem").asText(), Duration.ZERO));
        DeploymentOutcome echoed = target().deploy(resource(config(false), SECRET), bundle(first));

        assertThat(echoed.message()).contains("HTTP 400: bad key: <PEM removed>")
                .doesNotContain(first.keyPem().lines().skip(1).findFirst().orElseThrow());
    }

    @Test
    void serverErrorsTimeoutsAndRefusedConnectionsMayPassAndAreRetryable() throws Exception {
        receiver.answer(d -> new Answer(503, "maintenance", Duration.ZERO));
        DeploymentOutcome unavailable = target().deploy(resource(config(false), SECRET), bundle(first));
        assertThat(unavailable.retryable()).as(unavailable.message()).isTrue();
        assertThat(unavailable.message()).isEqualTo("the receiver answered HTTP 503: maintenance");

        receiver.answer(d -> new Answer(200, "", Duration.ofSeconds(3)));
        DeploymentOutcome slow = target(Duration.ofSeconds(1), Clock.systemUTC())
                .deploy(resource(config(false), SECRET), bundle(first));
        assertThat(slow.status()).isEqualTo(DeploymentOutcome.Status.FAILED);
        assertThat(slow.retryable()).as(slow.message()).isTrue();
        assertThat(slow.message()).contains("did not answer within 1 s");

        Map<String, String> closed = config(false);
        closed.put("url", "http://127.0.0.1:" + freePort() + "/hook");
        DeploymentOutcome refused = target().deploy(resource(closed, SECRET), bundle(first));
        assertThat(refused.status()).isEqualTo(DeploymentOutcome.Status.FAILED);
        assertThat(refused.retryable()).as(refused.message()).isTrue();
        assertThat(refused.message()).contains("cannot be reached");
    }

    @Test
    void aRequestSignedWithAnotherSecretIsRejectedByTheReceiver() {
        receiver.answer(this::install);
        String wrong = "whsec-not-the-receivers-secret";

        DeploymentOutcome outcome = target().deploy(resource(config(true), wrong), bundle(first));

        assertThat(outcome.status()).isEqualTo(DeploymentOutcome.Status.FAILED);
        assertThat(outcome.retryable()).isFalse();
        assertThat(outcome.message()).contains("HTTP 401: signature mismatch").doesNotContain(wrong).doesNotContain(SECRET);
        assertThat(receiver.deliveries()).singleElement().satisfies(d -> assertThat(d.rejection()).isEqualTo("signature mismatch"));
        assertThat(served()).isEqualTo(initial.serialHex());
    }

    @Test
    void aStaleTimestampIsRejectedByTheReceiver() {
        receiver.answer(this::install);
        Clock tenMinutesLate = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10));

        DeploymentOutcome outcome = target(Duration.ofSeconds(5), tenMinutesLate)
                .deploy(resource(config(true), SECRET), bundle(first));

        assertThat(outcome.status()).isEqualTo(DeploymentOutcome.Status.FAILED);
        assertThat(outcome.message()).contains("HTTP 401: timestamp outside the window");
        assertThat(served()).isEqualTo(initial.serialHex());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /**
     * One request as the receiver saw it.
     *
     * @param rejection why the receiver rejected it (signature or timestamp), or null if it verified
     */
    record Received(long timestamp, String deliveryHeader, JsonNode body, String rejection) {
    }

    /** What the receiver answers, after {@code delay}. */
    record Answer(int status, String body, Duration delay) {
        static Answer json(int status, Map<String, String> body) {
            try {
                return new Answer(status, JSON.writeValueAsString(body), Duration.ZERO);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * A webhook receiver as a customer would write it: it verifies {@code X-Certflow-Signature} over
     * {@code timestamp + "." + body} with its own HMAC code and refuses a timestamp more than 5 minutes away.
     */
    static final class Receiver implements AutoCloseable {
        private static final Duration WINDOW = Duration.ofMinutes(5);

        private final String secret;
        private final HttpServer server;
        private final List<Received> deliveries = new CopyOnWriteArrayList<>();
        private volatile Function<Received, Answer> answer = d -> new Answer(500, "no answer set", Duration.ZERO);

        Receiver(String secret) throws IOException {
            this.secret = secret;
            this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/hook", this::handle);
            server.setExecutor(Executors.newFixedThreadPool(4));
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        }

        void answer(Function<Received, Answer> answer) {
            this.answer = answer;
        }

        List<Received> deliveries() {
            return List.copyOf(deliveries);
        }

        private void handle(HttpExchange exchange) throws IOException {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String timestampHeader = exchange.getRequestHeaders().getFirst("X-Certflow-Timestamp");
            String signature = exchange.getRequestHeaders().getFirst("X-Certflow-Signature");
            long timestamp = timestampHeader == null || !timestampHeader.matches("[0-9]{1,12}") ? -1
                    : Long.parseLong(timestampHeader);
            String rejection = null;
            if (timestamp < 0 || Duration.between(Instant.ofEpochSecond(timestamp), Instant.now()).abs().compareTo(WINDOW) > 0) {
                rejection = "timestamp outside the window";
            } else if (signature == null || !MessageDigest.isEqual(expected(timestamp, body),
                    signature.getBytes(StandardCharsets.US_ASCII))) {
                rejection = "signature mismatch";
            }
            Received received = new Received(timestamp, exchange.getRequestHeaders().getFirst("X-Certflow-Delivery"),
                    JSON.readTree(body), rejection);
            deliveries.add(received);
            Answer reply = rejection != null ? new Answer(401, rejection, Duration.ZERO) : answer.apply(received);
            try {
                Thread.sleep(reply.delay().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(reply.status(), out.length == 0 ? -1 : out.length);
            try (OutputStream response = exchange.getResponseBody()) {
                response.write(out);
            }
        }

        private byte[] expected(long timestamp, byte[] body) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
                return ("sha256=" + HexFormat.of().formatHex(mac.doFinal(body))).getBytes(StandardCharsets.US_ASCII);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            server.stop(0);
            ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
        }
    }
}
