package io.certflow.issuance.ca;

import java.util.Objects;

/**
 * The CA answered and said no: a problem document such as {@code rejectedIdentifier}, {@code caa},
 * {@code dns}, {@code badCSR}, or a protocol condition the adapter cannot continue from. Becomes an
 * {@code IssuanceFailed} event with the problem type, not a retry loop.
 *
 * <p>{@link #retryable()} says whether a new attempt later can help (a DNS record that may be fixed,
 * a CAA record that may change) or not (a malformed request, an identifier the CA never issues for).
 * Modelled on acme4j's {@code AcmeServerException} and its subclasses.
 */
public sealed class CaRefusedException extends CaException permits CaUserActionRequiredException {

    private final CaProblem problem;
    private final boolean retryable;

    public CaRefusedException(CaProblem problem, boolean retryable, Throwable cause) {
        super(describe(Objects.requireNonNull(problem, "problem")), cause);
        this.problem = problem;
        this.retryable = retryable;
    }

    public CaRefusedException(CaProblem problem, boolean retryable) {
        this(problem, retryable, null);
    }

    /** The problem the CA (or the adapter) reported. */
    public CaProblem problem() {
        return problem;
    }

    /** The problem's type URN. */
    @Override
    public String problemType() {
        return problem.type();
    }

    /** The CA's explanation. */
    public String detail() {
        return problem.detail();
    }

    /** Whether a new attempt later can help. */
    public boolean retryable() {
        return retryable;
    }

    private static String describe(CaProblem problem) {
        return problem.detail().isEmpty() ? problem.type() : problem.type() + ": " + problem.detail();
    }
}
