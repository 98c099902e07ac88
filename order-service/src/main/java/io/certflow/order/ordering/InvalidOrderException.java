package io.certflow.order.ordering;

import java.util.Objects;

/**
 * An order (from the API or a purchase) breaks a rule: a bad domain, a term out of range, a name the
 * product does not cover. The message says what to fix, the {@link #code()} says which rule, for
 * machines; the web layer answers 400, a refused purchase is answered with {@code PurchaseRejected}
 * (only a purchase reusing an already answered upstream order id for something different is dead-lettered).
 */
public class InvalidOrderException extends IllegalArgumentException {

    private final ReasonCode code;

    /**
     * @param code    the rule broken
     * @param message what to fix, as a sentence
     */
    public InvalidOrderException(ReasonCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** The rule broken, machine-readable. */
    public ReasonCode code() {
        return code;
    }
}
