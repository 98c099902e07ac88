package io.certflow.issuance.profiles;

import io.certflow.issuance.caa.CaaIdentities;
import io.certflow.issuance.issuing.IssuanceProperties;
import io.certflow.issuance.issuing.NewOrderLimit;
import io.certflow.issuance.keys.KeyType;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CaProfileDefinitionsTest {

    private static final String HMAC = "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W";
    private static final NewOrderLimit LIMIT = new NewOrderLimit(300, Duration.ofHours(3), Duration.ofSeconds(1));
    private static final IssuanceProperties.Ca LEGACY = new IssuanceProperties.Ca("default",
            URI.create("https://localhost:14000/dir"), "/tmp/pebble.pem", "ops@example.com", Duration.ofSeconds(5),
            null);
    private static final IssuanceProperties.Ca NO_LEGACY = new IssuanceProperties.Ca("default", null, null, null, null, null);

    @Test
    void theSingleCaBlockAloneIsTheDefaultProfile_unchanged() {
        CaProfileDefinitions.Resolved resolved = CaProfileDefinitions.resolve(LEGACY,
                new CaProfilesProperties(null, null), LIMIT);

        assertThat(resolved.defaultProfile()).isEqualTo("default");
        assertThat(resolved.profiles()).singleElement().satisfies(p -> {
            assertThat(p.directoryUrl()).isEqualTo(URI.create("https://localhost:14000/dir"));
            assertThat(p.trustedCertificate()).hasValueSatisfying(t -> assertThat(t).hasToString("/tmp/pebble.pem"));
            assertThat(p.contactEmail()).contains("ops@example.com");
            assertThat(p.requestTimeout()).isEqualTo(Duration.ofSeconds(5));
            assertThat(p.settings().keyType()).isEqualTo(KeyType.EC_P256);
            assertThat(p.eab()).isEmpty();
        });
    }

    @Test
    void severalProfilesBesideTheCaBlock_catalogueCasResolve_andTheDefaultIsChosen() {
        Map<String, CaProfilesProperties.Profile> profiles = new LinkedHashMap<>();
        profiles.put("le", profile("letsencrypt", null, null, null));
        profiles.put("zerossl", new CaProfilesProperties.Profile("zerossl", null, null, null, null, "rsa-3072",
                new CaProfilesProperties.Eab("kid-1", HMAC, "hs384"), "ISRG Root X1", "shortlived",
                new CaProfilesProperties.RateLimit(50, null), null));
        profiles.put("private", profile(null, URI.create("https://ca.internal/acme/dir"), null, null));

        CaProfileDefinitions.Resolved resolved = CaProfileDefinitions.resolve(LEGACY,
                new CaProfilesProperties(profiles, "zerossl"), LIMIT);

        assertThat(resolved.defaultProfile()).isEqualTo("zerossl");
        assertThat(resolved.profiles()).extracting(CaProfileDefinition::name)
                .containsExactly("default", "le", "zerossl", "private");
        CaProfileDefinition le = resolved.profiles().get(1);
        assertThat(le.directoryUrl()).hasToString("https://acme-v02.api.letsencrypt.org/directory");
        assertThat(le.settings().catalogueCa()).contains("letsencrypt");
        CaProfileDefinition zerossl = resolved.profiles().get(2);
        assertThat(zerossl.directoryUrl()).hasToString("https://acme.zerossl.com/v2/DV90");
        assertThat(zerossl.settings().keyType()).isEqualTo(KeyType.RSA_3072);
        assertThat(zerossl.settings().eabKeyId()).contains("kid-1");
        assertThat(zerossl.eab()).hasValueSatisfying(e -> assertThat(e.macAlgorithm()).isEqualTo("HS384"));
        assertThat(zerossl.settings().preferredChain()).contains("ISRG Root X1");
        assertThat(zerossl.settings().acmeProfile()).contains("shortlived");
        assertThat(zerossl.settings().rateLimit()).contains(new NewOrderLimit(50, Duration.ofHours(3), Duration.ofSeconds(1)));
        assertThat(zerossl.toString()).contains("kid-1").doesNotContain(HMAC);
        assertThat(profiles.get("zerossl").toString()).doesNotContain(HMAC);
        assertThat(resolved.profiles().get(3).settings().catalogueCa()).isEmpty();
    }

    @Test
    void caaIdentitiesComeFromTheProfile_elseTheCatalogue_elseTheDirectory() {
        Map<String, CaProfilesProperties.Profile> profiles = new LinkedHashMap<>();
        profiles.put("le", profile("letsencrypt", null, null, null));
        profiles.put("zerossl", profile("zerossl", null, "kid", HMAC));
        profiles.put("gts", profile("google", null, "kid", HMAC));
        profiles.put("digicert", profile("digicert", null, "kid", HMAC));
        profiles.put("own", new CaProfilesProperties.Profile(null, URI.create("https://ca.internal/dir"), null, null, null,
                null, null, null, null, null, List.of(" CA.Example.NET ", "ca2.example.net")));
        profiles.put("private", profile(null, URI.create("https://ca.internal/acme/dir"), null, null));
        IssuanceProperties.Ca legacy = new IssuanceProperties.Ca("default", URI.create("https://localhost:14000/dir"),
                null, null, null, List.of("pebble.certflow.test"));

        Map<String, CaaIdentities> caa = new LinkedHashMap<>();
        CaProfileDefinitions.resolve(legacy, new CaProfilesProperties(profiles, "le"), LIMIT).profiles()
                .forEach(p -> caa.put(p.name(), p.settings().caaIdentities()));

        assertThat(caa.get("default")).isEqualTo(new CaaIdentities(List.of("pebble.certflow.test"),
                CaaIdentities.Source.CONFIGURATION));
        assertThat(caa.get("le")).isEqualTo(new CaaIdentities(List.of("letsencrypt.org"), CaaIdentities.Source.CATALOGUE));
        assertThat(caa.get("zerossl").names()).as("ZeroSSL's help asks for sectigo.com").startsWith("sectigo.com");
        assertThat(caa.get("gts").names()).containsExactly("pki.goog");
        assertThat(caa.get("digicert").names()).startsWith("digicert.com").contains("www.digicert.com");
        assertThat(caa.get("own").names()).containsExactly("ca.example.net", "ca2.example.net");
        assertThat(caa.get("private")).isEqualTo(CaaIdentities.FROM_DIRECTORY);
    }

    @Test
    void aProfileNamedLikeTheCaBlockReplacesIt_andASingleProfileIsTheDefault() {
        CaProfileDefinitions.Resolved replaced = CaProfileDefinitions.resolve(LEGACY,
                new CaProfilesProperties(Map.of("default", profile("letsencrypt-staging", null, null, null)), null), LIMIT);
        assertThat(replaced.profiles()).singleElement().satisfies(p ->
                assertThat(p.directoryUrl()).hasToString("https://acme-staging-v02.api.letsencrypt.org/directory"));

        CaProfileDefinitions.Resolved only = CaProfileDefinitions.resolve(NO_LEGACY,
                new CaProfilesProperties(Map.of("gts", profile("google", null, "kid", HMAC)), null), LIMIT);
        assertThat(only.defaultProfile()).isEqualTo("gts");
    }

    @Test
    void startupFailsWithEveryProblemNamed_butNeverTheHmacKey() {
        Map<String, CaProfilesProperties.Profile> profiles = new LinkedHashMap<>();
        profiles.put("zerossl", profile("zerossl", null, null, null));
        profiles.put("bad-key", new CaProfilesProperties.Profile(null, URI.create("https://ca.test/dir"), null, null, null,
                "dsa-1024", null, null, null, null, null));
        profiles.put("bad-caa", new CaProfilesProperties.Profile(null, URI.create("https://ca.test/dir"), null, null, null,
                null, null, null, null, null, List.of("letsencrypt.org", "not a domain")));
        profiles.put("bad-hmac", profile(null, URI.create("https://ca.test/dir"), "kid-2", "not base64!" + HMAC));
        profiles.put("unknown-ca", profile("acme-ca", null, null, null));
        profiles.put("both", profile("letsencrypt", URI.create("https://ca.test/dir"), null, null));
        profiles.put("neither", profile(null, null, null, null));

        assertThatThrownBy(() -> CaProfileDefinitions.resolve(LEGACY, new CaProfilesProperties(profiles, "nope"), LIMIT))
                .isInstanceOf(CaProfileDefinitions.InvalidCaProfilesException.class)
                .hasMessageContaining("CA profile 'zerossl': zerossl requires external account binding")
                .hasMessageContaining("CA profile 'bad-key': key-type 'dsa-1024' is not one of")
                .hasMessageContaining("CA profile 'bad-hmac': eab: the EAB HMAC key of key id 'kid-2' is not base64url")
                .hasMessageContaining("CA profile 'unknown-ca': unknown ca 'acme-ca' (known: letsencrypt,")
                .hasMessageContaining("CA profile 'both': give either ca (letsencrypt) or directory-url, not both")
                .hasMessageContaining("CA profile 'neither': directory-url (or ca: one of")
                .hasMessageContaining("CA profile 'bad-caa': caa-identities: 'not a domain' is not an issuer domain name")
                .hasMessageContaining("certflow.issuance.default-profile 'nope' is not a configured CA profile")
                .message().doesNotContain(HMAC);
    }

    @Test
    void severalProfilesWithoutADefaultOrNoProfileAtAllFailClearly() {
        Map<String, CaProfilesProperties.Profile> two = Map.of("a", profile("letsencrypt", null, null, null),
                "b", profile("letsencrypt-staging", null, null, null));
        assertThatThrownBy(() -> CaProfileDefinitions.resolve(NO_LEGACY, new CaProfilesProperties(two, null), LIMIT))
                .hasMessageContaining("set certflow.issuance.default-profile");
        assertThatThrownBy(() -> CaProfileDefinitions.resolve(NO_LEGACY, new CaProfilesProperties(null, null), LIMIT))
                .hasMessageContaining("no CA profile is configured");
        assertThatThrownBy(() -> CaProfileDefinitions.resolve(NO_LEGACY, new CaProfilesProperties(
                Map.of("short", profile("google", null, "kid", "c2hvcnQ")), null), LIMIT))
                .hasMessageContaining("too short");
    }

    private static CaProfilesProperties.Profile profile(String ca, URI directory, String kid, String hmac) {
        return new CaProfilesProperties.Profile(ca, directory, null, null, null, null,
                kid == null && hmac == null ? null : new CaProfilesProperties.Eab(kid, hmac, null), null, null, null, null);
    }
}
