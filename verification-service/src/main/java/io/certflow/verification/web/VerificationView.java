package io.certflow.verification.web;

import io.certflow.verification.dns.lookup.DelegationDiagnosis;

import java.util.List;

/**
 * The answer of "Verify": the finding in one word, a sentence a customer can act on, the value
 * certflow expected and what DNS held.
 *
 * @param domain   the domain checked
 * @param verified whether the delegation is in place
 * @param result   {@code VERIFIED}, {@code NO_RECORD}, {@code NXDOMAIN}, {@code WRONG_TARGET},
 *                 {@code CNAME_LOOP}, {@code CHAIN_TOO_LONG}, {@code NOT_A_CNAME} or {@code LOOKUP_FAILED}
 * @param detail   what was found and what to do
 * @param expected the delegation target the CNAME must point to
 * @param found    the CNAME chain or the other records found
 */
public record VerificationView(String domain, boolean verified, String result, String detail, String expected,
                               List<String> found) {

    static VerificationView of(String domain, DelegationDiagnosis d) {
        return new VerificationView(domain, d.verified(), d.result().name(), d.detail(), d.expected(), d.found());
    }
}
