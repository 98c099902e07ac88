package io.certflow.deployment.deploying.issuance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.certflow.deployment.deploying.CertificateSource;
import io.certflow.deployment.deploying.CertificateUnavailableException;
import io.certflow.deployment.target.CertificateBundle;
import io.certflow.deployment.target.PemCertificates;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Fetches a version's chain and key from issuance-service's internal API
 * ({@code GET /internal/v1/certificates/{certificateId}/versions/{serialNumber}/bundle}, authenticated with
 * {@code X-Internal-Token}). The response body holds a private key: it is never logged, and error messages
 * carry the status only.
 */
public class IssuanceCertificateSource implements CertificateSource {

    static final String TOKEN_HEADER = "X-Internal-Token";
    /** Names this service in issuance-service's audit log of key reads. */
    static final String CALLER_HEADER = "X-Caller";
    static final String CALLER = "deployment-service";

    private final URI baseUrl;
    private final String internalToken;
    private final Duration timeout;
    private final ObjectMapper json;
    private final HttpClient http;

    public IssuanceCertificateSource(URI baseUrl, String internalToken, Duration timeout, ObjectMapper json) {
        this.baseUrl = baseUrl;
        this.internalToken = internalToken;
        this.timeout = timeout;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public CertificateBundle fetch(String certificateId, String serialNumber) {
        if (baseUrl == null) {
            throw new CertificateUnavailableException("certflow.deployment.issuance-url is not configured", false, null);
        }
        if (internalToken == null || internalToken.isBlank()) {
            throw new CertificateUnavailableException("certflow.deployment.internal-token is not configured", false, null);
        }
        String base = baseUrl.toString().replaceAll("/+$", "");
        URI uri = URI.create(base + "/internal/v1/certificates/" + encode(certificateId) + "/versions/"
                + encode(serialNumber) + "/bundle");
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header(TOKEN_HEADER, internalToken)
                .header(CALLER_HEADER, CALLER)
                .header("Accept", "application/json")
                .GET()
                .build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new CertificateUnavailableException("issuance-service is not reachable: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()), true, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CertificateUnavailableException("interrupted while fetching the bundle", true, null);
        }
        int status = response.statusCode();
        String what = "bundle of certificate " + certificateId + " version " + serialNumber;
        if (status == 404) {
            throw new CertificateUnavailableException("issuance-service does not know the " + what + " (404)", false, null);
        }
        if (status == 401 || status == 403) {
            throw new CertificateUnavailableException("issuance-service rejected the internal token (" + status
                    + "); check certflow.deployment.internal-token", false, null);
        }
        if (status == 429 || status >= 500) {
            throw new CertificateUnavailableException("issuance-service answered " + status + " for the " + what,
                    true, retryAfter(response));
        }
        if (status != 200) {
            throw new CertificateUnavailableException("issuance-service answered " + status + " for the " + what, false, null);
        }
        JsonNode body;
        try {
            body = json.readTree(response.body());
        } catch (IOException e) {
            throw new CertificateUnavailableException("issuance-service sent an unreadable " + what, false, null);
        }
        String chain = body.path("certificateChainPem").asText(null);
        String key = body.path("privateKeyPem").asText(null);
        if (chain == null || key == null || chain.isBlank() || key.isBlank()) {
            throw new CertificateUnavailableException("issuance-service sent an incomplete " + what, false, null);
        }
        CertificateBundle bundle = new CertificateBundle(chain, key);
        String leaf;
        try {
            leaf = bundle.leafSerialNumber();
        } catch (IllegalArgumentException e) {
            throw new CertificateUnavailableException("issuance-service sent an unreadable chain for the " + what, false, null);
        }
        if (!leaf.equals(PemCertificates.normalizeSerial(serialNumber))) {
            throw new CertificateUnavailableException("issuance-service sent leaf " + leaf + " for the " + what, false, null);
        }
        return bundle;
    }

    private static Duration retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").map(v -> {
            try {
                return Duration.ofSeconds(Long.parseLong(v.trim()));
            } catch (NumberFormatException e) {
                return null;
            }
        }).orElse(null);
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public String toString() {
        return "IssuanceCertificateSource[" + baseUrl + ", token=<redacted>]";
    }
}
