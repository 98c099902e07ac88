package io.certflow.verification.dns.provider.route53;

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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The three calls of the Route 53 REST API 2013-04-01 that {@link Route53Provider} needs, over
 * {@code java.net.http} and signed with {@link SigV4Signer}. Turns every way a call can fail into a
 * {@link DnsProviderException} that says what to do: throttling, a change still being applied, a server error,
 * a timeout or a broken connection may pass; a refused credential, a missing permission or zone, or a refused
 * change will not. Messages name the access key id, never its secret or session token.
 */
final class Route53Client {

    private static final String API = "/2013-04-01";
    private static final String SERVICE = "route53";
    private static final Set<String> TRANSIENT_CODES = Set.of("Throttling", "ThrottlingException",
            "PriorRequestNotComplete", "RequestTimeout", "ServiceUnavailable", "InternalFailure");

    private final Route53Settings settings;
    private final SigV4Signer signer;
    private final Clock clock;
    private final String base;
    private final HttpClient http;

    Route53Client(Route53Settings settings, Clock clock) {
        this.settings = settings;
        this.signer = new SigV4Signer(settings.accessKeyId(), settings.secretAccessKey(), settings.sessionToken(),
                settings.region(), SERVICE);
        this.clock = clock;
        this.base = settings.endpoint().toString().replaceAll("/+$", "");
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * {@code ListHostedZonesByName}: one hosted zone, the first whose name sorts at or after {@code dnsName}
     * (and after {@code startZoneId} among zones of that name, when given).
     */
    Route53Xml.ZonePage hostedZonesByName(String dnsName, String startZoneId) throws DnsProviderException {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("dnsname", dnsName);
        if (startZoneId != null) {
            query.put("hostedzoneid", startZoneId);
        }
        query.put("maxitems", "1");
        String what = "looking for a hosted zone named " + dnsName;
        byte[] body = send("ListHostedZonesByName", "GET", "/hostedzonesbyname", query, null, what);
        try {
            return Route53Xml.zonePage(body);
        } catch (IOException e) {
            throw unreadable(what, e);
        }
    }

    /** {@code ListResourceRecordSets}: the TXT record set at exactly {@code name}, if there is one. */
    Optional<Route53Xml.RecordSet> txtRecordSet(String zoneId, String name) throws DnsProviderException {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("name", name);
        query.put("type", "TXT");
        query.put("maxitems", "1");
        String what = "reading the TXT records at " + name + " in hosted zone " + zoneId;
        byte[] body = send("ListResourceRecordSets", "GET", "/hostedzone/" + zoneId + "/rrset", query, null, what);
        try {
            // the listing starts at name and type and goes on: the first set may be another name's
            return Route53Xml.recordSets(body).stream()
                    .filter(set -> "TXT".equals(set.type()) && set.name().equalsIgnoreCase(name))
                    .findFirst();
        } catch (IOException | NumberFormatException e) {
            throw unreadable(what, e);
        }
    }

    /** {@code ChangeResourceRecordSets} with a single change: {@code action} (UPSERT or DELETE) of {@code set}. */
    void change(String zoneId, String action, Route53Xml.RecordSet set) throws DnsProviderException {
        String body = Route53Xml.changeRequest(action, set, "certflow DNS-01 challenge");
        send("ChangeResourceRecordSets", "POST", "/hostedzone/" + zoneId + "/rrset/", Map.of(), body,
                action + " of the TXT records at " + set.name() + " in hosted zone " + zoneId);
    }

    private byte[] send(String action, String method, String path, Map<String, String> query, String body,
                        String what) throws DnsProviderException {
        String queryString = query.entrySet().stream()
                .map(e -> SigV4Signer.encode(e.getKey()) + "=" + SigV4Signer.encode(e.getValue()))
                .collect(Collectors.joining("&"));
        URI uri = URI.create(base + API + path + (queryString.isEmpty() ? "" : "?" + queryString));
        byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = body == null ? Map.of() : Map.of("Content-Type", "application/xml");
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(settings.timeout())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(payload));
        headers.forEach(request::header);
        signer.sign(method, uri, headers, payload, clock.instant()).forEach(request::header);

        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new DnsProviderException(what + ": Route 53 at " + settings.endpoint() + " did not answer within "
                    + settings.timeout().toMillis() + " ms; trying again later may help", true, e);
        } catch (IOException e) {
            throw new DnsProviderException(what + ": cannot reach Route 53 at " + settings.endpoint() + " ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                    + "); trying again later may help", true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DnsProviderException(what + ": interrupted", true, e);
        }
        if (response.statusCode() / 100 == 2) {
            return response.body();
        }
        throw refusal(action, what, response.statusCode(), response.body());
    }

    private DnsProviderException refusal(String action, String what, int status, byte[] body) {
        Route53Xml.Error error = Route53Xml.error(body).orElse(new Route53Xml.Error("HTTP " + status, ""));
        String code = error.code();
        boolean transientFailure = status >= 500 || status == 429 || TRANSIENT_CODES.contains(code);
        String key = "access key " + settings.accessKeyId();
        String advice = switch (code) {
            case "SignatureDoesNotMatch" -> "Route 53 refused the signature of " + key
                    + ": the secret access key is not the one of this key id, or this machine's clock is more"
                    + " than 5 minutes off";
            case "InvalidClientTokenId", "UnrecognizedClientException" -> "Route 53 does not know " + key
                    + (settings.sessionToken() != null ? " with this session token" : "")
                    + " (deleted, deactivated or mistyped)";
            case "ExpiredToken" -> "the session token of " + key + " has expired; give certflow fresh credentials";
            case "AccessDenied", "AccessDeniedException" -> key + " may not call " + action
                    + "; grant it the IAM permission route53:" + action;
            case "NoSuchHostedZone" -> "the hosted zone does not exist (any more)";
            case "InvalidChangeBatch" -> "Route 53 refused the change";
            case "Throttling", "ThrottlingException" -> "Route 53 is throttling the requests of " + key
                    + "; trying again later may help";
            case "PriorRequestNotComplete" -> "Route 53 is still applying an earlier change of this hosted zone;"
                    + " trying again later may help";
            default -> transientFailure ? "Route 53 failed; trying again later may help" : "Route 53 refused it";
        };
        String detail = scrub(error.message());
        return new DnsProviderException(what + ": " + advice + " (HTTP " + status + " " + code
                + (detail.isEmpty() ? "" : ": " + detail) + ")", transientFailure);
    }

    private DnsProviderException unreadable(String what, Exception e) {
        return new DnsProviderException(what + ": " + settings.endpoint() + " answered, but not with Route 53's"
                + " XML (" + e.getMessage() + "); is the endpoint right?", false, e);
    }

    /** Server text, shortened, and without the secret or token should a server ever echo them. */
    private String scrub(String detail) {
        return ProviderText.scrub(detail, settings.secretAccessKey(), settings.sessionToken());
    }

    @Override
    public String toString() {
        return "Route53Client[" + settings + "]";
    }
}
