package io.certflow.issuance.profiles;

import io.certflow.issuance.ca.ExternalAccountBinding;
import io.certflow.issuance.caa.CaaIdentities;
import io.certflow.issuance.issuing.CaProfileSettings;
import io.certflow.issuance.issuing.IssuanceProperties;
import io.certflow.issuance.issuing.NewOrderLimit;
import io.certflow.issuance.keys.KeyType;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns the configuration into the checked list of CA profiles and the default profile's name. The
 * single {@code certflow.issuance.ca} block (when it has a directory URL) is one profile named
 * {@code ca.name}, unless {@code profiles.<that name>} redefines it. Every problem of every profile is
 * collected into one {@link InvalidCaProfilesException}, so that startup fails once with the full list:
 * an unknown catalogue CA, neither or both of {@code ca} and {@code directory-url}, a CA that requires
 * external account binding without one, a malformed HMAC key, an unknown key type, a CAA identity that is not a
 * domain name, an unknown default.
 */
public final class CaProfileDefinitions {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    /**
     * The resolved configuration.
     *
     * @param profiles       the profiles, the {@code ca} block first
     * @param defaultProfile the name of the default profile
     */
    public record Resolved(List<CaProfileDefinition> profiles, String defaultProfile) {
    }

    /** The configuration is not usable; the message lists every problem. */
    public static final class InvalidCaProfilesException extends IllegalStateException {
        InvalidCaProfilesException(List<String> problems) {
            super("invalid CA profile configuration: " + String.join("; ", problems));
        }
    }

    private CaProfileDefinitions() {
    }

    /**
     * @param legacy           the {@code certflow.issuance.ca} block
     * @param properties       {@code certflow.issuance.profiles.*} and {@code default-profile}
     * @param defaultRateLimit the service-wide new-order limit (fills a partial override)
     */
    public static Resolved resolve(IssuanceProperties.Ca legacy, CaProfilesProperties properties,
                                   NewOrderLimit defaultRateLimit) {
        List<String> problems = new ArrayList<>();
        List<CaProfileDefinition> profiles = new ArrayList<>();
        boolean legacyUsed = legacy != null && legacy.directoryUrl() != null
                && !properties.profiles().containsKey(legacy.name());
        if (legacyUsed) {
            caaIdentities("certflow.issuance.ca", legacy.caaIdentities(), Optional.empty(), problems).ifPresent(caa ->
                    profiles.add(new CaProfileDefinition(legacy.name(), legacy.directoryUrl(),
                            legacy.trustedCertificatePath(), legacy.contact(), timeout(legacy.requestTimeout()),
                            Optional.empty(), new CaProfileSettings(Optional.empty(), KeyType.EC_P256, Optional.empty(),
                                    Optional.empty(), Optional.empty(), Optional.empty(), caa))));
        }
        for (Map.Entry<String, CaProfilesProperties.Profile> entry : properties.profiles().entrySet()) {
            define(entry.getKey(), entry.getValue(), defaultRateLimit, problems).ifPresent(profiles::add);
        }
        String defaultProfile = properties.defaultProfile() == null || properties.defaultProfile().isBlank()
                ? null : properties.defaultProfile().trim();
        if (profiles.isEmpty() && problems.isEmpty()) {
            problems.add("no CA profile is configured: set certflow.issuance.ca.directory-url or "
                    + "certflow.issuance.profiles.<name>.directory-url (or .ca)");
        } else if (defaultProfile == null) {
            if (legacyUsed) {
                defaultProfile = legacy.name();
            } else if (profiles.size() == 1 && problems.isEmpty()) {
                defaultProfile = profiles.get(0).name();
            } else if (problems.isEmpty()) {
                problems.add("several CA profiles are configured: set certflow.issuance.default-profile to one of "
                        + profiles.stream().map(CaProfileDefinition::name).toList());
            }
        } else {
            String wanted = defaultProfile;
            if (profiles.stream().noneMatch(p -> p.name().equals(wanted))
                    && !properties.profiles().containsKey(wanted)) {
                problems.add("certflow.issuance.default-profile '" + wanted + "' is not a configured CA profile "
                        + "(configured: " + names(legacyUsed ? legacy.name() : null, properties) + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidCaProfilesException(problems);
        }
        return new Resolved(List.copyOf(profiles), defaultProfile);
    }

    private static Optional<CaProfileDefinition> define(String name, CaProfilesProperties.Profile p,
                                                        NewOrderLimit defaultRateLimit, List<String> problems) {
        int before = problems.size();
        String where = "CA profile '" + name + "'";
        if (!NAME.matcher(name).matches()) {
            problems.add(where + ": a name is letters, digits, '.', '_' and '-' (at most 63)");
        }
        if (p == null) {
            problems.add(where + ": nothing configured");
            return Optional.empty();
        }
        Optional<KnownCa> known = Optional.empty();
        URI directory = p.directoryUrl();
        if (p.ca() != null && !p.ca().isBlank()) {
            known = KnownCa.byId(p.ca());
            if (known.isEmpty()) {
                problems.add(where + ": unknown ca '" + p.ca().trim() + "' (known: " + KnownCa.ids()
                        + "; any other CA is configured with directory-url)");
            } else if (directory != null) {
                problems.add(where + ": give either ca (" + p.ca().trim() + ") or directory-url, not both");
            } else {
                directory = known.get().directoryUrl();
            }
        } else if (directory == null) {
            problems.add(where + ": directory-url (or ca: one of " + KnownCa.ids() + ") is missing");
        }
        if (directory != null && directory.getScheme() == null) {
            problems.add(where + ": directory-url '" + directory + "' is not an absolute URL");
        }
        KeyType keyType = KeyType.EC_P256;
        try {
            keyType = KeyType.parse(p.keyType());
        } catch (IllegalArgumentException e) {
            problems.add(where + ": key-type '" + p.keyType() + "' is not one of EC_P256, EC_P384, RSA_2048, RSA_3072, RSA_4096");
        }
        Optional<ExternalAccountBinding> eab = Optional.empty();
        CaProfilesProperties.Eab e = p.eab();
        boolean eabGiven = e != null && (notBlank(e.keyId()) || notBlank(e.hmacKey()));
        if (eabGiven) {
            try {
                eab = Optional.of(new ExternalAccountBinding(e.keyId(), e.hmacKey(), e.macAlgorithm()));
            } catch (IllegalArgumentException ex) {
                problems.add(where + ": eab: " + ex.getMessage());
            }
        } else if (known.filter(KnownCa::eabRequired).isPresent()) {
            problems.add(where + ": " + known.get().id() + " requires external account binding: set eab.key-id and "
                    + "eab.hmac-key (from the CA's console)");
        }
        Optional<NewOrderLimit> rateLimit = Optional.empty();
        if (p.rateLimit() != null && (p.rateLimit().newOrders() != null || p.rateLimit().window() != null)) {
            try {
                rateLimit = Optional.of(new NewOrderLimit(
                        p.rateLimit().newOrders() == null ? defaultRateLimit.orders() : p.rateLimit().newOrders(),
                        p.rateLimit().window() == null ? defaultRateLimit.window() : p.rateLimit().window(),
                        defaultRateLimit.recheckDelay()));
            } catch (IllegalArgumentException ex) {
                problems.add(where + ": rate-limit: " + ex.getMessage());
            }
        }
        Optional<CaaIdentities> caa = caaIdentities(where, p.caaIdentities(), known, problems);
        if (problems.size() > before || caa.isEmpty()) {
            return Optional.empty();
        }
        Optional<Path> trusted = notBlank(p.trustedCertificate())
                ? Optional.of(Path.of(p.trustedCertificate().trim())) : Optional.empty();
        Optional<String> contact = notBlank(p.contactEmail()) ? Optional.of(p.contactEmail().trim()) : Optional.empty();
        CaProfileSettings settings = new CaProfileSettings(known.map(KnownCa::id), keyType,
                eab.map(ExternalAccountBinding::keyId), trimmed(p.preferredChain()), trimmed(p.acmeProfile()), rateLimit,
                caa.get());
        return Optional.of(new CaProfileDefinition(name, directory, trusted, contact, timeout(p.requestTimeout()),
                eab, settings));
    }

    /** The configured identities, else the catalogue CA's, else the directory's; empty with a problem added. */
    private static Optional<CaaIdentities> caaIdentities(String where, List<String> configured, Optional<KnownCa> known,
                                                         List<String> problems) {
        List<String> names = configured == null ? List.of() : configured.stream().filter(CaProfileDefinitions::notBlank)
                .toList();
        try {
            if (!names.isEmpty()) {
                return Optional.of(new CaaIdentities(names, CaaIdentities.Source.CONFIGURATION));
            }
            return Optional.of(known.map(k -> new CaaIdentities(k.caaIdentities(), CaaIdentities.Source.CATALOGUE))
                    .orElse(CaaIdentities.FROM_DIRECTORY));
        } catch (IllegalArgumentException e) {
            problems.add(where + ": caa-identities: " + e.getMessage());
            return Optional.empty();
        }
    }

    private static String names(String legacyName, CaProfilesProperties properties) {
        List<String> names = new ArrayList<>();
        if (legacyName != null) {
            names.add(legacyName);
        }
        names.addAll(properties.profiles().keySet());
        return names.toString();
    }

    private static Duration timeout(Duration d) {
        return d == null ? Duration.ofSeconds(10) : d;
    }

    private static Optional<String> trimmed(String s) {
        return notBlank(s) ? Optional.of(s.trim()) : Optional.empty();
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
