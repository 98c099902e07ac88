package io.certflow.issuance.profiles;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CA profiles of the configuration: {@code certflow.issuance.profiles.<name>.*} and
 * {@code certflow.issuance.default-profile}. Bound beside {@code IssuanceProperties} (same prefix, other
 * keys) so that the single {@code certflow.issuance.ca} block keeps its meaning: it becomes one more
 * profile (see {@link CaProfileDefinitions}).
 *
 * @param profiles       the profiles by name
 * @param defaultProfile the profile for requests that name none (optional with a single profile)
 */
@ConfigurationProperties("certflow.issuance")
public record CaProfilesProperties(Map<String, Profile> profiles, String defaultProfile) {

    public CaProfilesProperties {
        profiles = profiles == null ? Map.of() : new LinkedHashMap<>(profiles);
    }

    /**
     * One CA profile.
     *
     * @param ca                 a well-known CA ({@link KnownCa}: letsencrypt, zerossl, google, …) instead of a directory URL
     * @param directoryUrl       the ACME directory ({@code https://…} or acme4j's {@code acme://…})
     * @param trustedCertificate PEM file of the anchors of the CA's TLS listener (blank: JVM default trust)
     * @param contactEmail       the contact registered with new accounts
     * @param requestTimeout     timeout of each single request to the CA
     * @param keyType            the certificate key type when a request names none (EC_P256, EC_P384, RSA_2048/3072/4096)
     * @param eab                the external account binding for new accounts
     * @param preferredChain     the issuer common name the chosen chain should end at (certbot's rule)
     * @param acmeProfile        the ACME profile (draft-ietf-acme-profiles) sent with new orders
     * @param rateLimit          this profile's own new-order limit (both fields optional)
     * @param caaIdentities      the CA's issuer domain names for the CAA pre-check (default: the catalogue CA's,
     *                           else the directory's {@code meta.caaIdentities})
     */
    public record Profile(String ca,
                          URI directoryUrl,
                          String trustedCertificate,
                          String contactEmail,
                          @DefaultValue("10s") Duration requestTimeout,
                          String keyType,
                          Eab eab,
                          String preferredChain,
                          String acmeProfile,
                          RateLimit rateLimit,
                          List<String> caaIdentities) {
    }

    /**
     * External account binding credentials as the CA handed them out. {@link #toString()} never shows the key.
     *
     * @param keyId        the key id
     * @param hmacKey      the HMAC key, base64url
     * @param macAlgorithm HS256 (default for 32-byte keys), HS384 or HS512
     */
    public record Eab(String keyId, String hmacKey, String macAlgorithm) {

        @Override
        public String toString() {
            return "Eab[keyId=" + keyId + ", hmacKey=" + (hmacKey == null ? "null" : "[secret]") + "]";
        }
    }

    /**
     * A profile's own new-order limit; a missing field keeps the service-wide value.
     *
     * @param newOrders new orders per window
     * @param window    window length
     */
    public record RateLimit(Integer newOrders, Duration window) {
    }
}
