package io.certflow.verification.dns.lookup;

import java.util.List;
import java.util.Objects;

/**
 * The answer of the "Verify" action, in the shape the API returns: what was found at a domain's
 * {@code _acme-challenge} name, in a sentence a customer can act on, with the value certflow
 * expected and what DNS actually holds.
 *
 * @param domain the domain checked (the base domain for a wildcard)
 * @param result the finding
 * @param detail one or two sentences for people: what is wrong and what to change
 * @param expected the delegation target the CNAME must point to, absolute
 * @param found what DNS returned: the CNAME chain (absolute names, in order), or other records as
 *              {@code TYPE value}; empty when nothing was found
 */
public record DelegationDiagnosis(String domain, DelegationResult result, String detail, String expected,
                                  List<String> found) {

    public DelegationDiagnosis {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(expected, "expected");
        found = found == null ? List.of() : List.copyOf(found);
    }

    /** Whether the delegation is in place. */
    public boolean verified() {
        return result.verified();
    }
}
