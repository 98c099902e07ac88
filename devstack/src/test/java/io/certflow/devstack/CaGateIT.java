package io.certflow.devstack;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The CA gate in front of a real Pebble 2.4: the directory read through the gate names the gate (Pebble builds
 * URLs from the forwarded {@code Host}), requests are counted per endpoint, a refused new-order is not an order,
 * a held response reaches the client only when released, and an unreachable CA answers nothing.
 */
class CaGateIT {

    @TempDir
    static Path dir;

    static Stack stack;
    static CaGate gate;
    static HttpClient client;

    @BeforeAll
    static void startPebbleAndGate() {
        assumeTrue(Binaries.isAvailable(Binaries.PEBBLE), "pebble is not installed");
        stack = Stack.start(StackConfig.forTests(dir, EnumSet.of(Component.PEBBLE)));
        gate = CaGate.start(stack.pebble().port(), stack.pebble().sslContext(), dir);
        client = HttpClient.newBuilder().sslContext(Pki.sslContextTrusting(gate.trustedCertificate()))
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() {
        if (gate != null) {
            gate.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void theDirectoryReadThroughTheGateNamesTheGate() throws Exception {
        HttpResponse<String> directory = get(gate.directoryUrl());

        assertThat(directory.statusCode()).isEqualTo(200);
        assertThat(directory.body()).contains("\"https://localhost:" + gate.port() + "/order-plz\"")
                .doesNotContain(":" + stack.pebble().port() + "/");
        HttpResponse<Void> nonce = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + gate.port()
                + "/nonce-plz")).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(nonce.headers().firstValue("Replay-Nonce")).isPresent();
    }

    @Test
    void aNewOrderPebbleRefusesIsCountedAsAPostButNotAsAnOrder() throws Exception {
        long before = gate.posts(CaGate.Endpoint.NEW_ORDER);
        String jws = "{\"protected\":\"e30\",\"payload\":\"eyJpZGVudGlmaWVycyI6W3sidHlwZSI6ImRucyIsInZhbHVlIjoiYS5leGFtcGxlIn1dfQ\",\"signature\":\"AA\"}";
        HttpResponse<String> refused = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + gate.port()
                        + "/order-plz")).header("Content-Type", "application/jose+json")
                .POST(HttpRequest.BodyPublishers.ofString(jws)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("urn:ietf:params:acme:error:");
        assertThat(gate.posts(CaGate.Endpoint.NEW_ORDER)).isEqualTo(before + 1);
        assertThat(gate.exchanges().get(gate.exchanges().size() - 1).identifiers()).containsExactly("a.example");
        assertThat(gate.createdOrders()).isZero();
    }

    @Test
    void aHeldResponseArrivesOnlyWhenReleasedAndADroppedOneNever() throws Exception {
        CaGate.Hold hold = gate.hold(CaGate.Endpoint.DIRECTORY, CaGate.Phase.RESPONSE);
        CompletableFuture<HttpResponse<String>> held = client.sendAsync(HttpRequest.newBuilder(URI.create(gate.directoryUrl()))
                .build(), HttpResponse.BodyHandlers.ofString());
        CaGate.Exchange exchange = hold.awaitArrived(Duration.ofSeconds(20));
        assertThat(exchange.status()).isEqualTo(200);
        Thread.sleep(500);
        assertThat(held).isNotDone();
        hold.release();
        assertThat(held.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);

        CaGate.Hold drop = gate.hold(CaGate.Endpoint.DIRECTORY, CaGate.Phase.REQUEST);
        // a POST: the JDK client retries a GET once on a closed connection, never a POST
        CompletableFuture<HttpResponse<String>> dropped = client.sendAsync(HttpRequest.newBuilder(URI.create(gate.directoryUrl()))
                .header("Content-Type", "application/jose+json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(drop.awaitArrived(Duration.ofSeconds(20)).status()).isEqualTo(-1);
        drop.drop();
        assertThatThrownBy(() -> dropped.get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IOException.class);
    }

    @Test
    void anUnreachableCaAnswersNothingUntilItIsReachableAgain() throws Exception {
        long refusedBefore = gate.refusedRequests();
        gate.unreachable();
        try {
            assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(URI.create(gate.directoryUrl()))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(IOException.class);
            assertThat(gate.refusedRequests()).isEqualTo(refusedBefore + 1);
        } finally {
            gate.reachable();
        }

        assertThat(get(gate.directoryUrl()).statusCode()).isEqualTo(200);
        assertThat(gate.refusedRequests()).isEqualTo(refusedBefore + 1);
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
