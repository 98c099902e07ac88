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
 * Makes the official Alibaba Cloud SDK clients (CDN, SLB, ALB, OSS, the Certificate Management Service, and the
 * generic OpenAPI client for DCDN and WAF) for one credential,
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

    /**
     * The generic OpenAPI client for WAF 3.0 (API 2021-10-01), at {@code wafopenapi.<site>.aliyuncs.com} of the
     * credential's site ({@code cn-hangzhou} for the Chinese mainland, {@code ap-southeast-1} outside it): the WAF SDK
     * artifact ({@code com.aliyun:waf_openapi20211001}) is not on Maven Central, so its RPC calls go through
     * {@code callApi} with the same signer.
     */
    public com.aliyun.teaopenapi.Client waf(AlibabaAccount account) {
        return build(account, account.certificateRegion(), config -> {
            if (config.getEndpoint() == null) {
                config.setEndpoint("wafopenapi." + account.certificateRegion() + ".aliyuncs.com");
            }
            return new com.aliyun.teaopenapi.Client(config);
        });
    }

    /**
     * The OSS client for buckets in {@code regionId} (endpoint {@code oss-<region>.aliyuncs.com}, HTTPS), with the
     * configured timeouts and no retries inside the SDK; it signs with the SDK's default OSS signature. Shut it down
     * after the call ({@link com.aliyun.oss.OSS#shutdown()}).
     */
    public com.aliyun.oss.OSS oss(AlibabaAccount account, String regionId) {
        com.aliyun.oss.ClientBuilderConfiguration conf = new com.aliyun.oss.ClientBuilderConfiguration();
        conf.setConnectionTimeout((int) properties.connectTimeout().toMillis());
        conf.setSocketTimeout((int) properties.readTimeout().toMillis());
        conf.setMaxErrorRetry(0);
        String endpoint = "https://oss-" + regionId + ".aliyuncs.com";
        if (account.endpoint() != null) {
            // a local server: path-style requests (/bucket/…) to its address
            endpoint = account.endpoint().toString();
            conf.setSLDEnabled(true);
        }
        return new com.aliyun.oss.OSSClientBuilder().build(endpoint, account.accessKeyId(), account.accessKeySecret(), conf);
    }

    /**
     * Runs one OSS call on a client made by {@link #oss}, and shuts the client down.
     *
     * @param action the OSS API action, for messages ({@code PutCname})
     * @throws AlibabaApiException for every failure
     */
    public static <T> T callOss(AlibabaAccount account, com.aliyun.oss.OSS oss, String action, Call<T> call) {
        try {
            return call.run();
        } catch (com.aliyun.oss.OSSException e) {
            String code = e.getErrorCode();
            boolean retryable = code != null && (RETRYABLE_CODES.contains(code) || code.contains("Throttl")
                    || code.equals("SlowDown") || code.equals("TooManyRequests"));
            String message = e.getErrorMessage() == null ? "" : account.redact(e.getErrorMessage());
            throw new AlibabaApiException("Alibaba Cloud OSS " + (retryable ? "could not do " : "refused ") + action + ": "
                    + (code == null ? "" : code + ": ") + message
                    + (e.getRequestId() == null ? "" : " (request id " + e.getRequestId() + ")"), action, code,
                    retryable);
        } catch (com.aliyun.oss.ClientException e) {
            // no answer from OSS (connection, timeout); its message names the endpoint, never the secret
            throw new AlibabaApiException("cannot reach Alibaba Cloud OSS for " + action + ": "
                    + (e.getErrorCode() == null ? "" : e.getErrorCode() + " ") + "(" + account.redact(firstLine(e.getErrorMessage()))
                    + ")", action, null, true);
        } catch (AlibabaApiException e) {
            throw e;
        } catch (Exception e) {
            throw new AlibabaApiException("Alibaba Cloud OSS " + action + " failed: " + e.getClass().getSimpleName(), action,
                    null, false);
        } finally {
            oss.shutdown();
        }
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
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

    /**
     * One RPC-style call through the generic OpenAPI client (for the products whose SDK artifact this build cannot
     * have): {@code POST /} with the parameters in the query, signed like every product SDK's call.
     *
     * @param product the product, for messages ({@code DCDN}, {@code WAF})
     * @return the answer's body (JSON objects as maps, arrays as lists)
     * @throws AlibabaApiException for every failure
     */
    public Map<String, Object> rpc(AlibabaAccount account, com.aliyun.teaopenapi.Client client, String product,
                                   String version, String action, Map<String, String> query) {
        com.aliyun.teaopenapi.models.Params params = new com.aliyun.teaopenapi.models.Params().setAction(action)
                .setVersion(version).setProtocol("HTTPS").setPathname("/").setMethod("POST").setAuthType("AK")
                .setStyle("RPC").setReqBodyType("formData").setBodyType("json");
        com.aliyun.teaopenapi.models.OpenApiRequest request = new com.aliyun.teaopenapi.models.OpenApiRequest()
                .setQuery(new java.util.LinkedHashMap<>(query));
        Map<String, ?> answer = call(account, product, action, () -> client.callApi(params, request, runtime()));
        return object(answer.get("body"));
    }

    /** A JSON object of an {@link #rpc} answer, or an empty map. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** The JSON objects of an array of an {@link #rpc} answer, or an empty list. */
    @SuppressWarnings("unchecked")
    static java.util.List<Map<String, Object>> objects(Object value) {
        if (!(value instanceof java.util.List<?> l)) {
            return java.util.List.of();
        }
        return l.stream().filter(Map.class::isInstance).map(e -> (Map<String, Object>) e).toList();
    }

    /** A value of an {@link #rpc} answer as text, or null. */
    static String text(Object value) {
        return value == null ? null : String.valueOf(value);
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
