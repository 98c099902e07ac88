package io.certflow.deployment.deploying;

import java.util.Collection;
import java.util.Locale;

/**
 * Whether a certificate's names cover the host name a resource serves, the way TLS clients match them
 * (RFC 6125): exact names, and a wildcard {@code *.example.com} for exactly one more label. The preview uses
 * it so nobody deploys a certificate that browsers would reject for the resource.
 */
public final class DomainCoverage {

    private DomainCoverage() {
    }

    /** Whether any of {@code domains} covers {@code host}. */
    public static boolean covers(Collection<String> domains, String host) {
        if (host == null || host.isBlank() || domains == null) {
            return false;
        }
        String h = normalize(host);
        for (String domain : domains) {
            String d = normalize(domain);
            if (d.equals(h)) {
                return true;
            }
            if (d.startsWith("*.")) {
                int dot = h.indexOf('.');
                if (dot > 0 && h.substring(dot + 1).equals(d.substring(2))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String normalize(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }
}
