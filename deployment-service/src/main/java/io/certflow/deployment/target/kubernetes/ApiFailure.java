package io.certflow.deployment.target.kubernetes;

import io.certflow.deployment.target.TargetException;
import io.fabric8.kubernetes.client.KubernetesClientException;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.TimeoutException;

/**
 * A call to the API server that did not succeed, in words a person acts on: a refused credential or a refused
 * request (not retryable), or an API server that was unreachable, slow, overloaded or raced by another writer
 * (retryable). Says whether the API server answered at all, because after an unanswered write nobody knows
 * whether it took effect. Messages never hold the token.
 */
final class ApiFailure extends TargetException {

    private static final int MAX_DETAIL = 300;

    private final boolean answered;

    private ApiFailure(String message, boolean retryable, boolean answered, Throwable cause) {
        super(message, retryable, cause);
        this.answered = answered;
    }

    /** Whether the API server answered with a status (so a refused write changed nothing). */
    boolean answered() {
        return answered;
    }

    /**
     * Translates what the client threw.
     *
     * @param doing  what was attempted, e.g. {@code "cannot replace Secret shop/web-tls"}
     * @param access the credential, for the API server's address and to keep its token out of the message
     */
    static ApiFailure of(String doing, KubernetesClientException e, KubernetesAccess access) {
        return of(doing, e, access, false);
    }

    /**
     * Translates what the client threw.
     *
     * @param concurrentDelete whether a 404 means that someone deleted what was read (a race, as a 409)
     */
    static ApiFailure of(String doing, KubernetesClientException e, KubernetesAccess access, boolean concurrentDelete) {
        int code = e.getCode();
        String detail = detail(e, access.token());
        if (code == 401) {
            return answered(doing + ": the API server refused the credential (401 Unauthorized); check the service "
                    + "account token", false, e);
        }
        if (code == 403) {
            return answered(doing + ": the credential is not allowed to (403 Forbidden" + detail + ")", false, e);
        }
        if (code == 409 || (code == 404 && concurrentDelete)) {
            String status = code == 409 ? "409 Conflict" : "404 Not Found";
            return answered(doing + ": it changed since certflow read it (" + status + detail
                    + "), so it was not overwritten; try again", true, e);
        }
        if (code == 429 || code >= 500) {
            return answered(doing + ": the API server is busy or failing (" + code + detail + "); try again later", true, e);
        }
        if (code > 0) {
            return answered(doing + ": the API server refused (" + code + detail + ")", false, e);
        }
        Throwable cause = rootTransportCause(e);
        if (cause instanceof SSLException) {
            return new ApiFailure(doing + ": TLS with the API server at " + access.apiServer() + " failed ("
                    + describe(cause, access.token()) + "); check that caCertificate is the CA of its certificate "
                    + "and that the certificate names the host", false, false, e);
        }
        String what = timeout(cause) ? ": no answer in time from the API server at " : ": cannot reach the API server at ";
        return new ApiFailure(doing + what + access.apiServer() + " (" + describe(cause == null ? e : cause, access.token())
                + "); try again later", true, false, e);
    }

    private static ApiFailure answered(String message, boolean retryable, Throwable cause) {
        return new ApiFailure(message, retryable, true, cause);
    }

    /** The API server's own words (a Status message), shortened. */
    private static String detail(KubernetesClientException e, String token) {
        String message = e.getStatus() == null ? null : e.getStatus().getMessage();
        if (message == null || message.isBlank()) {
            return "";
        }
        return ": " + shorten(redact(message.strip(), token));
    }

    private static Throwable rootTransportCause(Throwable e) {
        Throwable found = null;
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof SSLException) {
                return t;
            }
            if (found == null && (t instanceof IOException || t instanceof TimeoutException)) {
                found = t;
            }
        }
        return found;
    }

    private static boolean timeout(Throwable cause) {
        return cause instanceof TimeoutException || cause instanceof HttpTimeoutException
                || cause instanceof SocketTimeoutException
                || (cause != null && cause.getMessage() != null && cause.getMessage().contains("timed out"));
    }

    private static String describe(Throwable t, String token) {
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null ? "" : ": " + shorten(redact(message, token)));
    }

    private static String shorten(String text) {
        return text.length() <= MAX_DETAIL ? text : text.substring(0, MAX_DETAIL) + "…";
    }

    private static String redact(String text, String token) {
        return token == null || token.isEmpty() ? text : text.replace(token, "<redacted>");
    }
}
