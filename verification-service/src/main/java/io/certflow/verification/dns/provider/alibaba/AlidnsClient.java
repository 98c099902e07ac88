package io.certflow.verification.dns.provider.alibaba;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.certflow.verification.dns.provider.DnsProviderException;
import io.certflow.verification.dns.provider.ProviderText;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Calls one action of the Alidns RPC API (version 2015-01-09) over HTTPS GET: adds the common parameters
 * (a fresh {@code SignatureNonce}, the {@code Timestamp}, {@code Format=JSON}), signs with {@link RpcSignature},
 * and turns an error answer ({@code Code}, {@code Message}, {@code RequestId}) into a
 * {@link DnsProviderException} that says what to do about it. The AccessKey secret never leaves the signature.
 */
final class AlidnsClient {

    static final String API_VERSION = "2015-01-09";
    private static final Set<String> CREDENTIAL_CODES = Set.of("InvalidAccessKeyId.NotFound",
            "InvalidAccessKeyId.Inactive", "SignatureDoesNotMatch", "IncompleteSignature", "InvalidAccessKeyId");

    private final AlibabaDnsSettings settings;
    private final String base;
    private final Clock clock;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    AlidnsClient(AlibabaDnsSettings settings, Clock clock) {
        this.settings = settings;
        this.base = ProviderText.base(settings.endpoint());
        this.clock = clock;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Calls {@code action}; an error answer is an exception. */
    JsonNode call(String action, Map<String, String> parameters) throws DnsProviderException {
        return call(action, parameters, Set.of()).orElseThrow();
    }

    /**
     * Calls {@code action} with its own {@code parameters}.
     *
     * @param tolerated error codes that mean the wanted state is already there (e.g. {@code DomainRecordDuplicate})
     * @return the JSON answer, or empty when Alidns answered one of the {@code tolerated} codes
     */
    Optional<JsonNode> call(String action, Map<String, String> parameters, Set<String> tolerated)
            throws DnsProviderException {
        Map<String, String> signed = new HashMap<>(parameters);
        signed.put("Action", action);
        signed.put("Version", API_VERSION);
        signed.put("Format", "JSON");
        signed.put("AccessKeyId", settings.accessKeyId());
        signed.put("SignatureMethod", "HMAC-SHA1");
        signed.put("SignatureVersion", "1.0");
        signed.put("SignatureNonce", UUID.randomUUID().toString());
        signed.put("Timestamp", DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS)));
        String query = RpcSignature.canonicalizedQuery(signed) + "&Signature="
                + RpcSignature.percentEncode(RpcSignature.sign(settings.accessKeySecret(), signed));
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/?" + query)).timeout(settings.timeout())
                .header("Accept", "application/json").GET().build();

        HttpResponse<String> response = send(action, request);
        int status = response.statusCode();
        JsonNode body = parse(response.body());
        if (status / 100 == 2 && body != null && body.isObject()) {
            return Optional.of(body);
        }
        String code = body == null ? "" : body.path("Code").asText("");
        if (tolerated.contains(code)) {
            return Optional.empty();
        }
        throw refusal(action, status, code, body);
    }

    private HttpResponse<String> send(String action, HttpRequest request) throws DnsProviderException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new DnsProviderException("Alibaba Cloud DNS " + action + ": no answer from " + base + " within "
                    + settings.timeout().toMillis() + " ms; trying again later may help", true, e);
        } catch (IOException e) {
            throw new DnsProviderException("Alibaba Cloud DNS " + action + ": cannot reach " + base + " ("
                    + ProviderText.scrub(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), settings.accessKeySecret()) + "); trying again later may help", true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DnsProviderException("Alibaba Cloud DNS " + action + ": interrupted", true, e);
        }
    }

    private DnsProviderException refusal(String action, int status, String code, JsonNode body) {
        if (code.isEmpty()) {
            boolean serverSide = status >= 500;
            return new DnsProviderException("Alibaba Cloud DNS " + action + ": " + base + " answered HTTP " + status
                    + (status / 100 == 2 ? " with a body that is not a JSON object" : " without an Alibaba error code")
                    + (serverSide ? "; trying again later may help" : ""), serverSide);
        }
        String what = "Alibaba Cloud DNS " + action + " answered " + code + " (HTTP " + status + ": "
                + ProviderText.scrub(body.path("Message").asText(""), settings.accessKeySecret()) + ", RequestId " + body.path("RequestId").asText("-") + ")";
        if (CREDENTIAL_CODES.contains(code)) {
            return new DnsProviderException(what + ": the AccessKey ID " + settings.accessKeyId() + " or its secret"
                    + " is wrong or disabled; enter the AccessKey pair again", false);
        }
        if (code.startsWith("Forbidden") || code.equals("ActionUnauthorized") || code.equals("NoPermission")) {
            return new DnsProviderException(what + ": the RAM user of AccessKey " + settings.accessKeyId()
                    + " lacks permission; grant it alidns:" + action + " on the domain", false);
        }
        if (code.startsWith("InvalidTimeStamp")) {
            return new DnsProviderException(what + ": the clock of this host differs from Alibaba Cloud's by more"
                    + " than 15 minutes; correct the clock", false);
        }
        if (code.startsWith("Throttling")) {
            return new DnsProviderException(what + ": too many requests; trying again later will help", true);
        }
        if (status >= 500 || code.equals("ServiceUnavailable") || code.equals("InternalError")) {
            return new DnsProviderException(what + ": trying again later may help", true);
        }
        return new DnsProviderException(what, false);
    }

    private JsonNode parse(String body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

}
