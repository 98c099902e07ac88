package io.certflow.issuance.profiles;

import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The catalogue of well-known ACME CAs a profile can name with {@code ca: <name>} instead of a directory
 * URL, and whether each requires external account binding. Exists so that operators do not copy
 * directory URLs by hand and so that a missing binding fails at startup rather than at the first order.
 * Sources: the CAs' own documentation (Let's Encrypt, DigiCert) and clients' presets (ZeroSSL, Google
 * Trust Services, Sectigo); a CA that moves its directory is configured with {@code directory-url}.
 */
public enum KnownCa {
    LETSENCRYPT("letsencrypt", "https://acme-v02.api.letsencrypt.org/directory", false),
    LETSENCRYPT_STAGING("letsencrypt-staging", "https://acme-staging-v02.api.letsencrypt.org/directory", false),
    ZEROSSL("zerossl", "https://acme.zerossl.com/v2/DV90", true),
    GOOGLE("google", "https://dv.acme-v02.api.pki.goog/directory", true),
    GOOGLE_STAGING("google-staging", "https://dv.acme-v02.test-api.pki.goog/directory", true),
    SECTIGO("sectigo", "https://acme.sectigo.com/v2/DV", true),
    DIGICERT("digicert", "https://acme.digicert.com/v2/acme/directory/", true);

    private final String id;
    private final URI directoryUrl;
    private final boolean eabRequired;

    KnownCa(String id, String directoryUrl, boolean eabRequired) {
        this.id = id;
        this.directoryUrl = URI.create(directoryUrl);
        this.eabRequired = eabRequired;
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
