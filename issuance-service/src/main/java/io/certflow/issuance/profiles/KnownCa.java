package io.certflow.issuance.profiles;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The catalogue of well-known ACME CAs a profile can name with {@code ca: <name>} instead of a directory
 * URL, and whether each requires external account binding. Exists so that operators do not copy
 * directory URLs by hand and so that a missing binding fails at startup rather than at the first order.
 * Sources: the CAs' own documentation (Let's Encrypt, DigiCert) and clients' presets (ZeroSSL, Google
 * Trust Services, Sectigo); a CA that moves its directory is configured with {@code directory-url}. Each entry
 * also carries the CA's CAA identities, the default of a profile's {@code caa-identities}.
 */
public enum KnownCa {
    LETSENCRYPT("letsencrypt", "https://acme-v02.api.letsencrypt.org/directory", false, Caa.LETSENCRYPT),
    LETSENCRYPT_STAGING("letsencrypt-staging", "https://acme-staging-v02.api.letsencrypt.org/directory", false,
            Caa.LETSENCRYPT),
    ZEROSSL("zerossl", "https://acme.zerossl.com/v2/DV90", true, Caa.SECTIGO),
    GOOGLE("google", "https://dv.acme-v02.api.pki.goog/directory", true, Caa.GOOGLE),
    GOOGLE_STAGING("google-staging", "https://dv.acme-v02.test-api.pki.goog/directory", true, Caa.GOOGLE),
    SECTIGO("sectigo", "https://acme.sectigo.com/v2/DV", true, Caa.SECTIGO),
    DIGICERT("digicert", "https://acme.digicert.com/v2/acme/directory/", true, Caa.DIGICERT);

    /**
     * The issuer domain names each CA documents for CAA, preferred first: Let's Encrypt; Google Trust Services;
     * Sectigo (its own list; ZeroSSL's help asks for {@code sectigo.com}, its issuing CA); DigiCert (its brands).
     */
    private static final class Caa {
        static final List<String> LETSENCRYPT = List.of("letsencrypt.org");
        static final List<String> GOOGLE = List.of("pki.goog");
        static final List<String> SECTIGO = List.of("sectigo.com", "comodoca.com", "comodo.com", "usertrust.com",
                "trust-provider.com");
        static final List<String> DIGICERT = List.of("digicert.com", "www.digicert.com", "digicert.ne.jp",
                "cybertrust.ne.jp", "symantec.com", "thawte.com", "geotrust.com", "rapidssl.com");
    }

    private final String id;
    private final URI directoryUrl;
    private final boolean eabRequired;
    private final List<String> caaIdentities;

    KnownCa(String id, String directoryUrl, boolean eabRequired, List<String> caaIdentities) {
        this.id = id;
        this.directoryUrl = URI.create(directoryUrl);
        this.eabRequired = eabRequired;
        this.caaIdentities = caaIdentities;
    }

    /** The name used in the configuration ({@code letsencrypt-staging}). */
    public String id() {
        return id;
    }

    public URI directoryUrl() {
        return directoryUrl;
    }

    /** Whether the CA creates accounts only with external account binding. */
    public boolean eabRequired() {
        return eabRequired;
    }

    /** The issuer domain names the CA recognises in CAA records, preferred first. */
    public List<String> caaIdentities() {
        return caaIdentities;
    }

    /** The CA named {@code name} (case-insensitive), if it is in the catalogue. */
    public static Optional<KnownCa> byId(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(c -> c.id.equals(wanted)).findFirst();
    }

    /** The names of the catalogue, for error messages. */
    public static String ids() {
        return Arrays.stream(values()).map(KnownCa::id).collect(Collectors.joining(", "));
    }
}
