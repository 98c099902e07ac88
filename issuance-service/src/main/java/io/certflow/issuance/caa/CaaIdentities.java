package io.certflow.issuance.caa;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The issuer domain names a CA profile's CA recognises in CAA records ({@code letsencrypt.org}), and where they
 * come from: the profile's {@code caa-identities}, the catalogue entry of its {@code ca}, or, when neither
 * gives any, the CA's directory ({@code meta.caaIdentities}, read at order time; no check when it lists none).
 *
 * @param names  the identities, preferred first, lower case; empty for {@link Source#DIRECTORY}
 * @param source where they come from
 */
public record CaaIdentities(List<String> names, Source source) {

    /** Where a profile's CAA identities come from. */
    public enum Source { CONFIGURATION, CATALOGUE, DIRECTORY }

    /** Taken from the CA's directory when an order is placed. */
    public static final CaaIdentities FROM_DIRECTORY = new CaaIdentities(List.of(), Source.DIRECTORY);

    private static final String LABEL = "[a-z0-9](?:[a-z0-9-]*[a-z0-9])?";
    private static final Pattern ISSUER_DOMAIN = Pattern.compile(LABEL + "(?:\\." + LABEL + ")+");

    public CaaIdentities {
        Objects.requireNonNull(source, "source");
        names = names.stream().map(n -> n.strip().toLowerCase(Locale.ROOT)).distinct().toList();
        for (String n : names) {
            if (!ISSUER_DOMAIN.matcher(n).matches()) {
                throw new IllegalArgumentException("'" + n + "' is not an issuer domain name (such as letsencrypt.org)");
            }
        }
        if (names.isEmpty() != (source == Source.DIRECTORY)) {
            throw new IllegalArgumentException("identities are given unless they come from the directory");
        }
    }
}
