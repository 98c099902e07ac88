package io.certflow.deployment.target.alibaba;

/**
 * One Alibaba Cloud API call that did not succeed, in the words a person needs: which service and action, Alibaba's
 * error {@code Code} and {@code Message} (or why the service could not be reached), and whether trying again later may
 * help (throttling, a 5xx, a timeout). Never holds the AccessKey secret or the request (which carries private keys).
 */
public class AlibabaApiException extends RuntimeException {

    private final String action;
    private final String code;
    private final boolean retryable;

    public AlibabaApiException(String message, String action, String code, boolean retryable) {
        super(message);
        this.action = action;
        this.code = code;
        this.retryable = retryable;
    }

    /** The API action, e.g. {@code SetCdnDomainSSLCertificate}. */
    public String action() {
        return action;
    }

    /** Alibaba's error code ({@code InvalidAccessKeyId.NotFound}), or null when no answer came. */
    public String code() {
        return code;
    }

    /** Whether asking again later may succeed. */
    public boolean retryable() {
        return retryable;
    }

    /** Whether Alibaba said the thing asked about does not exist ({@code …NotFound}, {@code …NotExist}, OSS's {@code NoSuch…}). */
    public boolean notFound() {
        return code != null && (code.contains("NotFound") || code.contains("NotExist") || code.startsWith("NoSuch"));
    }
}
