package io.certflow.deployment.target.alibaba;

import com.aliyun.tea.TeaException;
import com.aliyun.tea.TeaRetryableException;
import com.aliyun.tea.TeaUnretryableException;
import com.aliyun.teaopenapi.models.Config;
import com.aliyun.teautil.models.RuntimeOptions;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Makes the official Alibaba Cloud SDK clients (CDN, SLB, the Certificate Management Service) for one credential,
 * and runs their calls so that every failure becomes an {@link AlibabaApiException} with Alibaba's error code and
 * message, classified retryable or not, and never carrying the secret or the request (which holds private keys).
 *
 * <p>The SDKs sign with ACS3-HMAC-SHA256 (Alibaba's "V3" signature). They retry nothing here: the deployment engine
 * retries a retryable failure with backoff.
 */
public class AlibabaClients {

    /** One SDK call. */
    @FunctionalInterface
    public interface Call<T> {
        T run() throws Exception;
    }

    /** Error codes that say "not now" rather than "no". */
    private static final Set<String> RETRYABLE_CODES = Set.of("ServiceUnavailable", "InternalError", "UnknownError",
            "ServiceBusy", "ServiceUnavailableTemporary", "RequestTimeout", "OperationConflict", "IncorrectStatus",
            "Operation.Conflict", "SystemBusy", "LastTokenProcessing");

    private final AlibabaProperties properties;

    public AlibabaClients(AlibabaProperties properties) {
        this.properties = properties;
    }

    /** The CDN client (central endpoint, or the international one for regions outside China). */
    public com.aliyun.cdn20180510.Client cdn(AlibabaAccount account) {
        return build(account, account.regionId(), config -> new com.aliyun.cdn20180510.Client(config));
    }

    /**
     * The generic OpenAPI client for DCDN (central endpoint {@code dcdn.aliyuncs.com}): the DCDN SDK artifact is not
     * available to this build, so its RPC calls go through {@code callApi} with the same signer.
     */
    public com.aliyun.teaopenapi.Client dcdn(AlibabaAccount account) {
        return build(account, account.regionId(), config -> {
            if (config.getEndpoint() == null) {
                config.setEndpoint("dcdn.aliyuncs.com");
            }
            return new com.aliyun.teaopenapi.Client(config);
        });
    }

    /** The Certificate Management Service client, in the credential's certificate region. */
    public com.aliyun.cas20200407.Client cas(AlibabaAccount account) {
        return build(account, account.certificateRegion(), config -> new com.aliyun.cas20200407.Client(config));
    }

    /** The Application Load Balancer client, in the credential's region. */
    public com.aliyun.alb20200616.Client alb(AlibabaAccount account) {
        return build(account, account.regionId(), config -> new com.aliyun.alb20200616.Client(config));
    }

    /** The Classic Load Balancer client, in the credential's region. */
    public com.aliyun.slb20140515.Client slb(AlibabaAccount account) {
        return build(account, account.regionId(), config -> new com.aliyun.slb20140515.Client(config));
    }

    /** Per-call options: the configured timeouts, no retries inside the SDK. */
    public RuntimeOptions runtime() {
        RuntimeOptions runtime = new RuntimeOptions();
        runtime.setAutoretry(false);
        runtime.setMaxAttempts(0);
        runtime.setConnectTimeout((int) properties.connectTimeout().toMillis());
        runtime.setReadTimeout((int) properties.readTimeout().toMillis());
        return runtime;
    }

    private interface Factory<T> {
        T create(Config config) throws Exception;
    }

    private <T> T build(AlibabaAccount account, String regionId, Factory<T> factory) {
        Config config = new Config()
                .setAccessKeyId(account.accessKeyId())
                .setAccessKeySecret(account.accessKeySecret())
                .setRegionId(regionId)
                .setConnectTimeout((int) properties.connectTimeout().toMillis())
                .setReadTimeout((int) properties.readTimeout().toMillis())
                .setProtocol("https");
        if (account.endpoint() != null) {
            config.setProtocol(account.endpoint().getScheme().toLowerCase(Locale.ROOT));
            config.setEndpoint(account.endpoint().getHost() + (account.endpoint().getPort() > 0
                    ? ":" + account.endpoint().getPort() : ""));
        }
        try {
            return factory.create(config);
        } catch (Exception e) {
            throw new AlibabaApiException("cannot set up the Alibaba Cloud client: " + account.redact(e.getMessage()),
                    "(client)", null, false);
        }
    }

    /**
     * Runs one call.
     *
     * @param service the product, for messages ({@code CDN}, {@code SLB}, {@code CAS})
     * @param action  the API action, for messages
     * @throws AlibabaApiException for every failure
     */
    public static <T> T call(AlibabaAccount account, String service, String action, Call<T> call) {
        try {
            return call.run();
        } catch (TeaRetryableException e) {
            throw unreachable(account, service, action, e.getCause() == null ? e : e.getCause());
        } catch (TeaException e) {
            throw refused(account, service, action, e);
        } catch (TeaUnretryableException e) {
            // the request could not be sent or answered; its getLastRequest() holds the parameters: never shown
            throw unreachable(account, service, action, e.getCause() == null ? e : e.getCause());
        } catch (AlibabaApiException e) {
            throw e;
        } catch (Exception e) {
            Throwable cause = e;
            while (cause.getCause() != null && !(cause instanceof IOException)) {
                cause = cause.getCause();
            }
            if (cause instanceof IOException) {
                throw unreachable(account, service, action, cause);
            }
            // an answer that is not Alibaba's (a proxy's error page, a truncated body): the service is not itself
            throw new AlibabaApiException("Alibaba Cloud " + service + " " + action + " gave an unreadable answer ("
                    + e.getClass().getSimpleName() + ")", action, null, true);
        }
    }

    private static AlibabaApiException unreachable(AlibabaAccount account, String service, String action, Throwable thrown) {
        Throwable cause = thrown;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return new AlibabaApiException("cannot reach Alibaba Cloud " + service + " for " + action + ": "
                + cause.getClass().getSimpleName() + (cause.getMessage() == null ? ""
                : " (" + account.redact(cause.getMessage()) + ")"), action, null, true);
    }

    private static AlibabaApiException refused(AlibabaAccount account, String service, String action, TeaException e) {
        Map<String, Object> data = e.getData();
        String code = e.getCode() == null || "null".equals(e.getCode()) ? null : e.getCode();
        Object message = data == null ? null : data.getOrDefault("Message", data.get("message"));
        Object requestId = data == null ? null : data.getOrDefault("RequestId", data.get("requestId"));
        Integer status = e.getStatusCode();
        boolean retryable = (status != null && (status >= 500 || status == 429))
                || (code != null && (code.startsWith("Throttling") || code.contains("Throttl")
                || code.startsWith("IncorrectStatus") || code.startsWith("Conflict.Lock") || RETRYABLE_CODES.contains(code)));
        String text = (message == null ? e.getMessage() : String.valueOf(message));
        return new AlibabaApiException("Alibaba Cloud " + service + " " + (retryable ? "could not do " : "refused ") + action
                + ": " + (code == null ? "" : code + ": ") + account.redact(text)
                + (status == null ? "" : " (HTTP " + status + (requestId == null ? "" : ", request id " + requestId) + ")"),
                action, code, retryable);
    }
}
