package io.certflow.issuance.ca.acme;

import io.certflow.issuance.ca.CaException;
import io.certflow.issuance.ca.CaProblem;
import io.certflow.issuance.ca.CaRefusedException;
import io.certflow.issuance.ca.ExternalAccountBinding;

import java.util.Set;

/**
 * Makes a refused account registration say what to fix. A CA that requires external account binding
 * answers {@code externalAccountRequired} when none was sent, and {@code unauthorized} or
 * {@code malformed} when the key id is unknown, the HMAC does not verify or the binding expired; none
 * of these clears up by itself, so the refusal becomes final (the generic rules treat
 * {@code unauthorized} as retryable, for authorizations). The detail names the key id, never the HMAC key.
 */
final class AccountBindingErrors {

    private static final Set<String> BINDING_PROBLEMS = Set.of("externalAccountRequired", "unauthorized", "malformed");

    private AccountBindingErrors() {
    }

    /** The registration failure {@code failure}, explained when it is about the binding. */
    static CaException explain(CaException failure, ExternalAccountBinding eab) {
        if (!(failure instanceof CaRefusedException refused) || !BINDING_PROBLEMS.contains(refused.problem().shortType())) {
            return failure;
        }
        String caDetail = refused.detail().isEmpty() ? "" : " (the CA said: " + redact(refused.detail(), eab) + ")";
        String detail;
        if (eab == null && refused.problem().shortType().equals("externalAccountRequired")) {
            detail = "the CA requires external account binding: configure eab.key-id and eab.hmac-key for this CA profile"
                    + caDetail;
        } else if (eab != null) {
            detail = "the CA refused the external account binding of key id '" + eab.keyId()
                    + "' (unknown key id, wrong or expired HMAC key)" + caDetail;
        } else {
            return failure;
        }
        return new CaRefusedException(new CaProblem(refused.problemType(), detail), false, refused);
    }

    private static String redact(String text, ExternalAccountBinding eab) {
        return eab == null ? text : text.replace(eab.hmacKey(), "[redacted]");
    }
}
