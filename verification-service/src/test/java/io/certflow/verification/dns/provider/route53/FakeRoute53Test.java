package io.certflow.verification.dns.provider.route53;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fake's checks are live: its own signature computation gives AWS's published signature, and it refuses
 * what Route 53 refuses (an unsigned request, a document in another namespace, an unquoted TXT value), so the
 * provider's tests passing means its requests have the documented form.
 */
class FakeRoute53Test {

    private static final String KEY_ID = "AKIAIOSFODNN7EXAMPLE";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-11-27T12:00:00Z"), ZoneOffset.UTC);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private FakeRoute53 route53;
    private String zone;

    @BeforeEach
    void start() throws Exception {
        route53 = new FakeRoute53(KEY_ID, SECRET, null, CLOCK);
        zone = route53.addZone("example.com.", false);
    }

    @AfterEach
    void stop() {
        route53.close();
    }

    @Test
    void itsSignatureCheckComputesAwsPublishedSignature() {
        String signature = FakeRoute53.signature("GET", "/", "Action=ListUsers&Version=2010-05-08",
                Map.of("content-type", "application/x-www-form-urlencoded; charset=utf-8", "host", "iam.amazonaws.com",
                        "x-amz-date", "20150830T123600Z"), new byte[0], "20150830T123600Z",
                "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "us-east-1", "iam");

        assertThat(signature).isEqualTo("5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
    }

    @Test
    void refusesAnUnsignedRequest() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                route53.endpoint().resolve("/2013-04-01/hostedzonesbyname?dnsname=example.com.")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("<Code>MissingAuthenticationToken</Code>");
    }

    @Test
    void refusesAChangeRequestInAnotherNamespace() throws Exception {
        HttpResponse<String> response = post(change("\"d\"").replace(Route53Xml.NS, "https://route53.amazonaws.com/doc/2012-12-12/"));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("<Code>InvalidInput</Code>");
    }

    @Test
    void refusesAnUnquotedTxtValueAndKeepsTheZoneAsItWas() throws Exception {
        HttpResponse<String> response = post(change("d"));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("<Code>InvalidChangeBatch</Code>").contains("enclosed in quotation marks");
        assertThat(route53.txt(zone, "_acme-challenge.example.com.")).isEmpty();
        assertThat(post(change("\"d\"")).statusCode()).as("the same change quoted").isEqualTo(200);
    }

    private String change(String value) {
        return Route53Xml.changeRequest("UPSERT", new Route53Xml.RecordSet("_acme-challenge.example.com.", "TXT", 60,
                java.util.List.of(value), true), "test");
    }

    private HttpResponse<String> post(String body) throws Exception {
        URI uri = route53.endpoint().resolve("/2013-04-01/hostedzone/" + zone + "/rrset/");
        byte[] payload = body.getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(payload));
        new SigV4Signer(KEY_ID, SECRET, null, "us-east-1", "route53")
                .sign("POST", uri, Map.of(), payload, CLOCK.instant()).forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
