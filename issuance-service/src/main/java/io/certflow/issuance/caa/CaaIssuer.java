package io.certflow.issuance.caa;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Who asks to issue, as CAA sees it: the CA's issuer domain names (its CAA identities) and the ACME account the
 * order is placed with (RFC 8657 {@code accounturi}). certflow proves control with {@code dns-01} only, so that
 * is the validation method checked against {@code validationmethods}.
 *
 * @param profile    the CA profile's name, for messages
 * @param identities the CA's issuer domain names, the preferred one first ({@code letsencrypt.org}); never empty
 * @param accountUri the ACME account URL the order is placed with
 */
public record CaaIssuer(String profile, List<String> identities, String accountUri) {

    /** The only validation method certflow uses. */
    public static final String VALIDATION_METHOD = "dns-01";

    public CaaIssuer {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(accountUri, "accountUri");
        identities = identities.stream().map(CaaIssuer::normalize).filter(s -> !s.isEmpty()).distinct().toList();
        if (identities.isEmpty()) {
            throw new IllegalArgumentException("a CAA issuer needs at least one identity");
        }
    }

    /** Whether {@code issuerDomainName} is one of this CA's identities (case-insensitive). */
    public boolean isNamedBy(String issuerDomainName) {
        return identities.contains(normalize(issuerDomainName));
    }

    /** The identity to publish in a record that allows this CA. */
    public String preferredIdentity() {
        return identities.get(0);
    }

    /** {@code CA profile 'le' (letsencrypt.org)}. */
    public String describe() {
        return "CA profile '" + profile + "' (" + String.join(", ", identities) + ")";
    }

    private static String normalize(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }
}
