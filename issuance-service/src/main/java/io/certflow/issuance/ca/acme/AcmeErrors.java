package io.certflow.issuance.ca.acme;

import io.certflow.issuance.ca.CaException;
import io.certflow.issuance.ca.CaProblem;
import io.certflow.issuance.ca.CaRateLimitedException;
import io.certflow.issuance.ca.CaRefusedException;
import io.certflow.issuance.ca.CaTransientException;
import io.certflow.issuance.ca.CaUserActionRequiredException;
import org.shredzone.acme4j.Problem;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeLazyLoadingException;
import org.shredzone.acme4j.exception.AcmeNetworkException;
import org.shredzone.acme4j.exception.AcmeNotSupportedException;
import org.shredzone.acme4j.exception.AcmeProtocolException;
import org.shredzone.acme4j.exception.AcmeRateLimitedException;
import org.shredzone.acme4j.exception.AcmeServerException;
import org.shredzone.acme4j.exception.AcmeUserActionRequiredException;

import java.net.URI;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Translates acme4j's exceptions into the port's {@link CaTransientException} /
 * {@link CaRefusedException}. Exists so that the rules "what is worth retrying" live in one place:
 * network errors, 5xx, {@code serverInternal}, {@code badNonce} and {@code rateLimited} are transient;
 * every other problem document is a refusal, retryable when a later attempt can succeed (DNS, CAA,
 * connection and authorization problems can be fixed out there) and final otherwise.
 */
final class AcmeErrors {

    /** certflow's own problem types for conditions without a CA problem document. */
    static final String CERTFLOW_PREFIX = "urn:certflow:issuance:ca:";

    private static final Set<String> TRANSIENT = Set.of("serverInternal", "badNonce");

    private static final Set<String> RETRYABLE_REFUSALS = Set.of(
            "dns", "caa", "connection", "incorrectResponse", "unauthorized", "tls", "orderNotReady",
            "accountDoesNotExist", "compound", "alreadyReplaced");

    private static final Pattern HTTP_STATUS = Pattern.compile("^HTTP (\\d{3})");

    private AcmeErrors() {
    }

    /** The port exception for an acme4j failure during {@code action}. */
    static CaException translate(String action, Throwable failure) {
        Throwable t = failure;
        if (t instanceof AcmeLazyLoadingException lazy && lazy.getCause() != null) {
            t = lazy.getCause();
        }
        if (t instanceof AcmeRateLimitedException rate) {
            return new CaRateLimitedException(action + ": rate limited by the CA" + detailSuffix(rate.getProblem()),
                    rate.getRetryAfter().orElse(null), rate);
        }
        if (t instanceof AcmeUserActionRequiredException action2) {
            return new CaUserActionRequiredException(problem(action2.getProblem()),
                    action2.getTermsOfServiceUri().orElse(null), action2);
        }
        if (t instanceof AcmeServerException server) {
            CaProblem problem = problem(server.getProblem());
            String name = problem.shortType();
            if (TRANSIENT.contains(name)) {
                return new CaTransientException(action + ": " + problem.type() + detailSuffix(server.getProblem()),
                        problem.type(), null, server);
            }
            return new CaRefusedException(problem, RETRYABLE_REFUSALS.contains(name), server);
        }
        if (t instanceof AcmeNetworkException network) {
            return new CaTransientException(action + ": network error talking to the CA ("
                    + safeCause(network) + ")", CERTFLOW_PREFIX + "network", null, network);
        }
        if (t instanceof AcmeNotSupportedException unsupported) {
            return new CaRefusedException(new CaProblem(CERTFLOW_PREFIX + "unsupported",
                    action + ": " + unsupported.getMessage()), false, unsupported);
        }
        if (t instanceof AcmeProtocolException protocol) {
            // an unexpected answer (wrong content type, a proxy's error page): may clear up
            return new CaTransientException(action + ": unexpected answer from the CA (" + protocol.getMessage() + ")",
                    CERTFLOW_PREFIX + "protocol", null, protocol);
        }
        if (t instanceof AcmeException acme) {
            Matcher m = HTTP_STATUS.matcher(String.valueOf(acme.getMessage()));
            if (m.find()) {
                int status = Integer.parseInt(m.group(1));
                if (status >= 500 || status == 408 || status == 429) {
                    return new CaTransientException(action + ": CA answered HTTP " + status,
                            CERTFLOW_PREFIX + "http-" + status, null, acme);
                }
                return new CaRefusedException(new CaProblem(CERTFLOW_PREFIX + "http-" + status,
                        action + ": CA answered HTTP " + status + " without a problem document"), false, acme);
            }
            return new CaTransientException(action + ": " + acme.getMessage(), null, null, acme);
        }
        if (t instanceof IllegalStateException | t instanceof IllegalArgumentException) {
            return new CaRefusedException(new CaProblem(CERTFLOW_PREFIX + "protocol",
                    action + ": " + t.getMessage()), false, t);
        }
        return new CaTransientException(action + ": " + t.getClass().getSimpleName(), null, null, t);
    }

    /** The port's problem for an acme4j problem document, sub-problems folded into the detail. */
    static CaProblem problem(Problem problem) {
        String detail = problem.getDetail().orElse(problem.getTitle().orElse(""));
        if (!problem.getSubProblems().isEmpty()) {
            detail = detail + " [" + problem.getSubProblems().stream()
                    .map(p -> p.getIdentifier().map(id -> id.getValue() + ": ").orElse("")
                            + shortType(p.getType()) + " " + p.getDetail().orElse(""))
                    .collect(Collectors.joining("; ")) + "]";
        }
        return new CaProblem(problem.getType().toString(), detail.trim());
    }

    private static String detailSuffix(Problem problem) {
        return problem.getDetail().map(d -> " (" + d + ")").orElse("");
    }

    private static String safeCause(AcmeNetworkException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    private static String shortType(URI type) {
        String s = type.toString();
        return s.startsWith(CaProblem.ACME_ERROR_PREFIX) ? s.substring(CaProblem.ACME_ERROR_PREFIX.length()) : s;
    }
}
