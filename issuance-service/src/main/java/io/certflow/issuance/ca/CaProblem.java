package io.certflow.issuance.ca;

import java.util.Objects;

/**
 * A problem document from the CA (RFC 7807 / RFC 8555 §6.7), reduced to its type and its text.
 * Exists so that failures can name the CA's exact reason ({@code urn:ietf:params:acme:error:dns} …)
 * in {@code IssuanceFailed}.
 *
 * @param type   the problem type URN
 * @param detail the CA's human-readable explanation (may be empty, never null)
 */
public record CaProblem(String type, String detail) {

    /** The RFC 8555 error namespace. */
    public static final String ACME_ERROR_PREFIX = "urn:ietf:params:acme:error:";

    public CaProblem {
        Objects.requireNonNull(type, "type");
        detail = detail == null ? "" : detail;
    }

    /** The type, and the detail after " - " when there is one: how a message names the problem. */
    public String describe() {
        return detail.isEmpty() ? type : type + " - " + detail;
    }

    /** The short name of an ACME error type ({@code dns} for {@code urn:ietf:params:acme:error:dns}). */
    public String shortType() {
        return type.startsWith(ACME_ERROR_PREFIX) ? type.substring(ACME_ERROR_PREFIX.length()) : type;
    }
}
