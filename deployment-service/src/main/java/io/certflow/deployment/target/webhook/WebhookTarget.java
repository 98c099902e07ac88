package io.certflow.deployment.target.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.certflow.deployment.target.CertificateBundle;
import io.certflow.deployment.target.CredentialField;
import io.certflow.deployment.target.DeploymentOutcome;
import io.certflow.deployment.target.ConfiguredTarget;
import io.certflow.deployment.target.InvalidTargetConfigException;
import io.certflow.deployment.target.PemCertificates;
import io.certflow.deployment.target.PreviousCertificate;
import io.certflow.deployment.target.ReadBack;
import io.certflow.deployment.target.Reach;
import io.certflow.deployment.target.ReadBackCheck;
import io.certflow.deployment.target.ServedCertificate;
import io.certflow.deployment.target.TargetAccess;
import io.certflow.deployment.target.TargetResource;
import io.certflow.deployment.target.process.CommandRunner;
import io.certflow.deployment.tls.ServedCertificateReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Deploys by POSTing the certificate to a URL the customer runs, signed with HMAC-SHA256
 * ({@link WebhookSignature}), for servers certflow cannot reach itself. The receiver's answer decides: a 2xx
 * accepts (and, if it names a {@code servedSerialNumber}, that must be the new serial), a 4xx refuses, a 5xx, a
 * timeout or a refused connection may pass and is retried. Where the resource has a {@code tlsAddress}, what
 * is served there is read back too.
 *
 * <p>A webhook cannot be asked what it had before: the target remembers the last certificate each receiver
 * accepted (in memory, since this process started) and, when the new one is not served, sends that one again.
 */
public class WebhookTarget extends ConfiguredTarget<WebhookTarget.Call> {

    /** The resource type name. */
    public static final String TYPE = "webhook";
    /** The credential's secret that signs every request. */
    public static final String SECRET = "secret";
    /** The shortest secret accepted. */
    public static final int MIN_SECRET_LENGTH = 16;
    /** What a webhook credential holds (one secret): {@link #validateCredential} knows this name and no other. */
    public static final List<CredentialField> CREDENTIAL_FIELDS = List.of(
            CredentialField.secret(SECRET, "Signing secret (HMAC-SHA256 key the receiver checks with, 16+ characters)"));
    private static final Set<String> CREDENTIAL_SECRETS = CredentialField.secretNames(CREDENTIAL_FIELDS);
    private static final Set<String> CREDENTIAL_SETTINGS = CredentialField.settingNames(CREDENTIAL_FIELDS);

    private static final Logger log = LoggerFactory.getLogger(WebhookTarget.class);
    private static final int MAX_SHOWN_BODY = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServedCertificateReader reader;
    private final HttpClient http;
    private final Settings settings;
    private final Clock clock;
    private final ReadBackCheck readBackCheck;
    /** The last bundle each resource's receiver accepted: all this target knows of what a receiver had. */
    private final Map<String, CertificateBundle> lastAccepted = new ConcurrentHashMap<>();

    /**
     * How this adapter behaves on every resource.
     *
     * @param requestTimeout   how long a receiver may take to answer, body included
     * @param readBackWindow   how long to keep reading back over TLS after the receiver accepted
     * @param readBackInterval pause between two read-backs
     * @param allowedHosts     the hosts URLs may point at; empty allows any
     */
    public record Settings(Duration requestTimeout, Duration readBackWindow, Duration readBackInterval,
                           List<String> allowedHosts) {
        public Settings {
            Objects.requireNonNull(requestTimeout, "requestTimeout");
            Objects.requireNonNull(readBackWindow, "readBackWindow");
            Objects.requireNonNull(readBackInterval, "readBackInterval");
            allowedHosts = allowedHosts == null ? List.of() : List.copyOf(allowedHosts);
        }
    }

    /**
     * @param http  the client requests go through; {@link #httpClient} makes the usual one
     * @param clock the time of the signed timestamp
     */
    public WebhookTarget(ServedCertificateReader reader, HttpClient http, Settings settings, Clock clock) {
        super(TYPE);
        this.reader = reader;
        this.http = http;
        this.settings = settings;
        this.clock = clock;
        this.readBackCheck = new ReadBackCheck(settings.readBackWindow(), settings.readBackInterval());
    }

    /** An HTTP/1.1 client that follows no redirect (the signed request goes where it was configured, or nowhere). */
    public static HttpClient httpClient(Duration connectTimeout) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout).build();
    }

    @Override
    public String displayName() {
        return "Webhook (HMAC-signed POST)";
    }

    @Override
    public boolean needsCredential() {
        return true;
    }

    @Override
    public void validateCredential(TargetAccess access) {
        List<String> problems = new ArrayList<>();
        if (access == null) {
            problems.add("a webhook resource needs a credential with the secret '" + SECRET + "'");
        } else {
            String secret = access.secret(SECRET);
            if (secret == null) {
                problems.add("the secret '" + SECRET + "' is required (the HMAC-SHA256 key the receiver checks with)");
            } else if (secret.length() < MIN_SECRET_LENGTH) {
                problems.add("the secret '" + SECRET + "' must be at least " + MIN_SECRET_LENGTH
                        + " characters (a random value of 32 or more is best)");
            }
            access.secrets().keySet().stream().filter(k -> !CREDENTIAL_SECRETS.contains(k)).sorted()
                    .forEach(k -> problems.add("unknown secret '" + k + "' (known: " + String.join(", ", CREDENTIAL_SECRETS) + ")"));
            access.settings().keySet().stream().filter(k -> !CREDENTIAL_SETTINGS.contains(k)).sorted()
                    .forEach(k -> problems.add("unknown setting '" + k + "' (a webhook credential has a secret only)"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidTargetConfigException(TYPE, problems);
        }
    }

    @Override
    public List<CredentialField> credentialFields() {
        return CREDENTIAL_FIELDS;
    }

    @Override
    public void validate(Map<String, String> config) {
        parse(config);
    }

    /**
     * What one call on a resource needs: the resource (its id keys what its receiver accepted, and the request names
     * it), its settings and the signing secret.
     */
    record Call(TargetResource resource, WebhookConfig config, String secret) {
    }

    @Override
    protected Call parse(TargetResource resource) {
        Reach<WebhookConfig, String> reach = Reach.of(TYPE, () -> parse(resource.config()), () -> {
            validateCredential(resource.access());
            return resource.access().secret(SECRET);
        });
        return new Call(resource, reach.settings(), reach.credential());
    }

    @Override
    protected ReadBack read(Call call) {
        return read(call.config());
    }

    @Override
    protected DeploymentOutcome install(Call call, CertificateBundle bundle, String wanted, String where) {
        TargetResource resource = call.resource();
        CertificateBundle kept = lastAccepted.get(resource.id());
        PreviousCertificate previous = kept == null ? PreviousCertificate.none()
                : new PreviousCertificate(kept.certificateChainPem(), kept.privateKeyPem());
        Delivery delivery = deliver(resource, call.config(), call.secret(), bundle, "deploy");
        return switch (delivery.result()) {
            case UNREACHABLE -> DeploymentOutcome.unreachable(delivery.message());
            case REFUSED -> DeploymentOutcome.failed(null, delivery.message(), null);
            case PROVEN -> {
                lastAccepted.put(resource.id(), bundle);
                yield DeploymentOutcome.succeeded(delivery.servedSerialNumber(), delivery.message(), previous);
            }
            case NOT_SERVED -> rollBack(resource, call.config(), call.secret(), kept, delivery);
        };
    }

    @Override
    protected DeploymentOutcome restoreOn(Call call, PreviousCertificate previous) {
        if (!previous.present() || previous.privateKeyPem() == null) {
            return DeploymentOutcome.failed(null, "nothing restored: certflow knows no earlier certificate of this "
                    + "webhook (it only knows what its receiver accepted before)", null);
        }
        CertificateBundle bundle = new CertificateBundle(previous.certificateChainPem(), previous.privateKeyPem());
        Delivery delivery = deliver(call.resource(), call.config(), call.secret(), bundle, "restore");
        return switch (delivery.result()) {
            case UNREACHABLE -> DeploymentOutcome.unreachable(delivery.message());
            case REFUSED, NOT_SERVED -> DeploymentOutcome.failed(delivery.servedSerialNumber(), delivery.message(), null);
            case PROVEN -> {
                lastAccepted.put(call.resource().id(), bundle);
                yield DeploymentOutcome.succeeded(delivery.servedSerialNumber(), delivery.message(), null);
            }
        };
    }

    /** After the receiver took the new certificate but does not serve it: sends the one it accepted before. */
    private DeploymentOutcome rollBack(TargetResource resource, WebhookConfig config, String secret,
                                       CertificateBundle kept, Delivery failed) {
        if (kept == null) {
            return DeploymentOutcome.failed(failed.servedSerialNumber(), failed.message() + "; not rolled back: "
                    + "certflow sent no earlier certificate to this webhook since it started", null);
        }
        String previousSerial = kept.leafSerialNumber();
        log.warn("webhook resource {} does not serve the new certificate; sending {} again", resource.id(), previousSerial);
        Delivery again = deliver(resource, config, secret, kept, "restore");
        if (again.result() == Result.PROVEN) {
            return DeploymentOutcome.rolledBack(again.servedSerialNumber(), failed.message()
                    + "; rolled back: the receiver accepted the previous certificate " + previousSerial + " again");
        }
        return DeploymentOutcome.failed(again.servedSerialNumber(), failed.message()
                + "; sending the previous certificate " + previousSerial + " again failed: " + again.message(),
                new PreviousCertificate(kept.certificateChainPem(), kept.privateKeyPem()));
    }

    /** What one POST and its proof came to. */
    private enum Result {
        /** the receiver accepted, and nothing shows another certificate served */
        PROVEN,
        /** the receiver accepted, but says or serves another certificate */
        NOT_SERVED,
        /** a 4xx (or a redirect): trying again will not help */
        REFUSED,
        /** a 5xx, timeout or network failure: trying again may help */
        UNREACHABLE
    }

    /**
     * @param servedSerialNumber what the receiver said or its server served, or null if neither told
     */
    private record Delivery(Result result, String servedSerialNumber, String message) {
    }

    /** POSTs {@code bundle}, reads the answer, and reads back over TLS where the resource says where. */
    private Delivery deliver(TargetResource resource, WebhookConfig config, String secret, CertificateBundle bundle,
                             String action) {
        String wanted = bundle.leafSerialNumber();
        String deliveryId = UUID.randomUUID().toString();
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(payload(deliveryId, resource, config, bundle, action));
        } catch (JsonProcessingException e) {
            return new Delivery(Result.REFUSED, null, "cannot write the request body: " + e.getOriginalMessage());
        }
        long timestamp = clock.instant().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(config.url())
                .timeout(settings.requestTimeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "certflow-webhook/1")
                .header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
                .header(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(secret, timestamp, body))
                .header(WebhookSignature.DELIVERY_HEADER, deliveryId)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<byte[]> response;
        CompletableFuture<HttpResponse<byte[]>> sent = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        try {
            response = sent.get(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            sent.cancel(true);
            return new Delivery(Result.UNREACHABLE, null, "the receiver at " + config.url() + " did not answer within "
                    + settings.requestTimeout().toSeconds() + " s");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof java.net.http.HttpTimeoutException && !(cause instanceof java.net.http.HttpConnectTimeoutException)) {
                // the client's own request timeout (the same length) fired before the wait above
                return new Delivery(Result.UNREACHABLE, null, "the receiver at " + config.url() + " did not answer within "
                        + settings.requestTimeout().toSeconds() + " s");
            }
            String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
            return new Delivery(Result.UNREACHABLE, null, "the receiver at " + config.url() + " cannot be reached: " + why);
        } catch (InterruptedException e) {
            sent.cancel(true);
            Thread.currentThread().interrupt();
            return new Delivery(Result.UNREACHABLE, null, "interrupted while waiting for the receiver");
        }
        int status = response.statusCode();
        String answer = shown(response.body());
        if (status == 408 || status == 429 || status >= 500) {
            return new Delivery(Result.UNREACHABLE, null, "the receiver answered HTTP " + status + answer);
        }
        if (status >= 300) {
            return new Delivery(Result.REFUSED, null, "the receiver refused certificate " + wanted + ": HTTP " + status
                    + (status < 400 ? " (redirects are not followed: configure the final URL)" : "") + answer);
        }
        if (status < 200) {
            return new Delivery(Result.REFUSED, null, "the receiver answered HTTP " + status + answer);
        }
        Optional<String> claimed = servedSerialNumber(response.body());
        if (claimed.isPresent() && !claimed.get().equals(wanted)) {
            return new Delivery(Result.NOT_SERVED, claimed.get(), "the receiver answered HTTP " + status
                    + " but says it serves " + claimed.get() + " instead of " + wanted);
        }
        if (config.tlsAddress() != null) {
            ReadBack served = readBackCheck.awaitServing(() -> read(config), wanted);
            if (!ReadBackCheck.serves(served, wanted)) {
                return new Delivery(Result.NOT_SERVED, served.serialNumber().orElse(null), "the receiver answered HTTP "
                        + status + " but " + config.tlsAddress().host() + ":" + config.tlsAddress().port() + " "
                        + served.describe() + " instead of " + wanted);
            }
            return new Delivery(Result.PROVEN, wanted, "the receiver accepted certificate " + wanted + " (HTTP " + status
                    + ") and " + config.tlsAddress().host() + ":" + config.tlsAddress().port() + " serves it");
        }
        if (claimed.isPresent()) {
            return new Delivery(Result.PROVEN, wanted, "the receiver accepted certificate " + wanted + " (HTTP " + status
                    + ") and says it serves it");
        }
        return new Delivery(Result.PROVEN, null, "the receiver accepted certificate " + wanted + " (HTTP " + status
                + "); it did not say what it serves");
    }

    /** The request body: what the receiver needs to install the certificate, nothing of certflow's own ids. */
    private static Map<String, Object> payload(String deliveryId, TargetResource resource, WebhookConfig config,
                                               CertificateBundle bundle, String action) {
        X509Certificate leaf = bundle.leaf();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("deliveryId", deliveryId);
        body.put("action", action);
        body.put("resourceId", resource.id());
        body.put("resourceName", resource.name());
        body.put("serialNumber", PemCertificates.serialHex(leaf));
        body.put("domains", ServedCertificate.of(leaf).dnsNames());
        body.put("notBefore", leaf.getNotBefore().toInstant().toString());
        body.put("notAfter", leaf.getNotAfter().toInstant().toString());
        body.put("certificateChainPem", bundle.certificateChainPem());
        if (config.includePrivateKey()) {
            body.put("privateKeyPem", bundle.privateKeyPem());
        }
        return body;
    }

    /** The {@code servedSerialNumber} of a JSON answer, normalized; empty if the answer has none. */
    private static Optional<String> servedSerialNumber(byte[] answer) {
        if (answer.length == 0) {
            return Optional.empty();
        }
        try {
            JsonNode served = JSON.readTree(answer).path("servedSerialNumber");
            return served.isTextual() && !served.asText().isBlank()
                    ? Optional.of(PemCertificates.normalizeSerial(served.asText())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The start of an answer's body as a message may show it: its first 200 characters, without PEM blocks. */
    private static String shown(byte[] answer) {
        String text = new String(answer, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            return "";
        }
        String start = text.length() > MAX_SHOWN_BODY ? text.substring(0, MAX_SHOWN_BODY) : text;
        return ": " + CommandRunner.clean(start) + (text.length() > MAX_SHOWN_BODY ? "…" : "");
    }

    private ReadBack read(WebhookConfig config) {
        if (config.tlsAddress() == null) {
            return ReadBack.unknown("the webhook resource has no tlsAddress: only its receiver's answer tells what it serves");
        }
        return reader.read(config.tlsAddress().host(), config.tlsAddress().port(), config.serverName());
    }

    private WebhookConfig parse(Map<String, String> config) {
        return WebhookConfig.parse(config, settings.allowedHosts());
    }
}
