package io.certflow.deployment.target.aws;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

import java.util.Set;

/**
 * What went wrong in one AWS call, told the way an operator needs it: AWS's own error code and message (never a
 * secret: AWS does not echo the secret key, and certflow's messages never hold it), the HTTP status, and whether
 * trying again later may help: throttling, 5xx, a timeout or a network failure may pass; a refusal (403, a
 * validation error, a missing resource) does not.
 *
 * @param operation what was asked, e.g. {@code CloudFront UpdateDistribution}
 * @param code      AWS's error code ({@code AccessDenied}, {@code Throttling}…), or null for a client-side failure
 * @param message   AWS's message, or what failed on the way
 * @param status    the HTTP status, or 0 when no answer came
 * @param retryable whether a later attempt may succeed
 */
public record AwsFailure(String operation, String code, String message, int status, boolean retryable) {

    private static final Set<String> TRANSIENT_CODES = Set.of("Throttling", "ThrottlingException", "ThrottledException",
            "TooManyRequestsException", "RequestLimitExceeded", "RequestThrottled", "RequestThrottledException",
            "SlowDown", "PriorRequestNotComplete", "ServiceUnavailable", "ServiceUnavailableException", "InternalError",
            "InternalFailure", "InternalServiceError", "InternalServerError", "RequestTimeout", "RequestTimeoutException",
            "PreconditionFailed", "TransactionInProgressException", "EC2ThrottledException", "BandwidthLimitExceeded",
            "RequestInProgressException", "ProvisionedThroughputExceededException");

    /** Reads an exception thrown by an SDK call (or by the SDK assuming a role on the way). */
    public static AwsFailure of(String operation, SdkException e) {
        AwsServiceException service = serviceCause(e);
        if (service != null) {
            AwsErrorDetails details = service.awsErrorDetails();
            String code = details == null ? null : details.errorCode();
            String message = details == null || details.errorMessage() == null ? null : details.errorMessage();
            int status = service.statusCode();
            boolean retryable = status == 429 || status >= 500 || service.isThrottlingException()
                    || (code != null && TRANSIENT_CODES.contains(code));
            if (service != e && !(e instanceof AwsServiceException)) {
                operation = operation + " (assuming the role)";
            }
            return new AwsFailure(operation, code, message == null ? "(no message)" : oneLine(message), status, retryable);
        }
        // no answer from AWS: connection refused, DNS, TLS, a timeout — all may pass
        return new AwsFailure(operation, null, oneLine(clientMessage(e)), 0, true);
    }

    /** Whether AWS answered with this error code. */
    public boolean is(String errorCode) {
        return errorCode.equals(code);
    }

    /** For people: {@code CloudFront UpdateDistribution: AccessDenied: User … is not authorized … (HTTP 403)}. */
    public String describe() {
        if (code == null) {
            return operation + " did not get an answer: " + message;
        }
        return operation + ": " + code + ": " + message + " (HTTP " + status + ")";
    }

    private static AwsServiceException serviceCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof AwsServiceException service) {
                return service;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    private static String clientMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String top = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (root != e && root.getMessage() != null && !top.contains(root.getMessage())) {
            return top + " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
        }
        return top;
    }

    private static String oneLine(String s) {
        String flat = s.replaceAll("\\s+", " ").strip();
        return flat.length() > 500 ? flat.substring(0, 500) + "…" : flat;
    }
}
