package io.certflow.issuance.ca.acme;

import io.certflow.devstack.BindProcess;
import io.certflow.devstack.Component;
import io.certflow.devstack.PebbleBehaviour;
import io.certflow.devstack.PebbleProcess;
import io.certflow.devstack.Stack;
import io.certflow.devstack.StackConfig;
import io.certflow.issuance.ca.CaAccount;
import io.certflow.issuance.ca.CaRefusedException;
import io.certflow.issuance.ca.ExternalAccountBinding;
import io.certflow.issuance.keys.CertificateChain;
import io.certflow.issuance.keys.KeyType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.naming.ldap.LdapName;
import javax.security.auth.x500.X500Principal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The per-profile options of the acme4j adapter against devstack's real Pebble 2.4 configured as a CA that
 * requires external account binding and serves an alternate chain: EAB with the right and a wrong key,
 * the preferred chain, an ACME profile the CA does not offer, and account key rollover.
 */
@ExtendWith(OutputCaptureExtension.class)
class AcmeProfileOptionsIT {

    static final String KID = "kid-certflow";
    static final String HMAC = "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W";
    static final String WRONG_HMAC = "b10lLJs8l1GPIzsLP0s6pMt8O0XVGnfTaCeROxQM0BIt2XrJMDHJZBM5NuQmQJQH";

    @TempDir
    static Path stackDir;
    private static Stack running;
    private static BindProcess bind;
    private static PebbleProcess pebble;

    @BeforeAll
    static void startPebble() {
        StackConfig stack = StackConfig.forTests(stackDir, EnumSet.of(Component.BIND, Component.PEBBLE))
                .withPebble(PebbleBehaviour.fast().withExternalAccountBinding(Map.of(KID, HMAC)).withAlternateRoots(1));
        running = Stack.start(stack);
        bind = running.bind();
        pebble = running.pebble();
    }

    @AfterAll
    static void stopPebble() {
        if (running != null) {
            running.close();
        }
    }

    @Test
    void withTheRightBindingTheAccountIsCreated_withoutOrWithAWrongOneTheRefusalIsFinalAndNamesIt(CapturedOutput output)
            throws Exception {
        CaAccount account = ca(new AcmeOptions(new ExternalAccountBinding(KID, HMAC, null), null, null))
                .registerAccount(KeyType.EC_P256.generate(), Optional.of("ops@certflow.test"));
        assertThat(account.accountUrl().toString()).startsWith("https://localhost:");

        assertThatThrownBy(() -> ca(AcmeOptions.NONE).registerAccount(KeyType.EC_P256.generate(), Optional.empty()))
                .isInstanceOfSatisfying(CaRefusedException.class, e -> {
                    assertThat(e.problemType()).isEqualTo("urn:ietf:params:acme:error:externalAccountRequired");
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.detail()).contains("requires external account binding");
                });

        for (ExternalAccountBinding wrong : List.of(new ExternalAccountBinding(KID, WRONG_HMAC, null),
                new ExternalAccountBinding("kid-unknown", HMAC, null))) {
            assertThatThrownBy(() -> ca(new AcmeOptions(wrong, null, null))
                    .registerAccount(KeyType.EC_P256.generate(), Optional.empty()))
                    .isInstanceOfSatisfying(CaRefusedException.class, e -> {
                        assertThat(e.problemType()).startsWith("urn:ietf:params:acme:error:");
                        assertThat(e.retryable()).isFalse();
                        assertThat(e.detail()).contains("refused the external account binding of key id '" + wrong.keyId() + "'")
                                .doesNotContain(HMAC).doesNotContain(WRONG_HMAC);
                    });
        }
        assertThat(output.getAll()).doesNotContain(HMAC).doesNotContain(WRONG_HMAC);
    }

    @Test
    void thePreferredChainEndsAtTheNamedRoot_otherwiseTheDefaultChainStays() throws Exception {
        X509Certificate defaultRoot = certificate(pebble.rootPem(0));
        X509Certificate alternateRoot = certificate(pebble.rootPem(1));
        assertThat(alternateRoot.getSubjectX500Principal()).isNotEqualTo(defaultRoot.getSubjectX500Principal());

        CertificateChain preferred = issue(ca(eabWith(commonName(alternateRoot))));
        assertThat(topIssuer(preferred)).isEqualTo(alternateRoot.getSubjectX500Principal());
        // throws unless the top certificate is signed by the alternate root's key
        preferred.certificates().get(preferred.certificates().size() - 1).verify(alternateRoot.getPublicKey());

        CertificateChain unknown = issue(ca(eabWith("No Such Root CA")));
        assertThat(topIssuer(unknown)).isEqualTo(defaultRoot.getSubjectX500Principal());

        CertificateChain none = issue(ca(eabWith(null)));
        assertThat(topIssuer(none)).isEqualTo(defaultRoot.getSubjectX500Principal());
    }

    @Test
    void anAcmeProfileTheCaDoesNotOfferIsAFinalRefusalNamingIt() throws Exception {
        AcmeCertificateAuthority ca = ca(new AcmeOptions(new ExternalAccountBinding(KID, HMAC, null), null, "shortlived"));
        CaAccount account = ca.registerAccount(KeyType.EC_P256.generate(), Optional.empty());

        assertThatThrownBy(() -> ca.placeOrder(account, List.of("p-" + UUID.randomUUID().toString().substring(0, 8)
                + ".demo.certflow.test"), Optional.empty()))
                .isInstanceOfSatisfying(CaRefusedException.class, e -> {
                    assertThat(e.problemType()).isEqualTo("urn:certflow:issuance:ca:acme-profile-not-offered");
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.detail()).contains("'shortlived'").contains("lists no profiles");
                });
    }

    @Test
    void aKeyRolloverKeepsTheAccountUrl_theNewKeyOrders_andTheOldKeyIsNoLongerKnown() throws Exception {
        AcmeCertificateAuthority ca = ca(eabWith(null));
        KeyPair oldKey = KeyType.EC_P256.generate();
        CaAccount account = ca.registerAccount(oldKey, Optional.empty());
        KeyPair newKey = KeyType.EC_P256.generate();

        ca.changeAccountKey(account, newKey);

        assertThat(ca.findAccount(newKey)).contains(account.accountUrl());
        assertThat(ca.findAccount(oldKey)).isEmpty();
        CaAccount rolled = new CaAccount(account.accountUrl(), newKey);
        CertificateChain chain = issue(ca, rolled);
        assertThat(chain.certificates()).isNotEmpty();
        assertThatThrownBy(() -> ca.placeOrder(account, List.of("old-" + UUID.randomUUID().toString().substring(0, 8)
                + ".demo.certflow.test"), Optional.empty())).isInstanceOf(CaRefusedException.class);
    }

    @Test
    void aDirectoryUrlThatIsNotAcmeIsAClearTransientError() {
        AcmeCertificateAuthority notAcme = new AcmeCertificateAuthority(URI.create(pebble.managementUrl() + "/roots/0"),
                pebble.caCertificate(), Duration.ofSeconds(5), eabWith(null));

        assertThatThrownBy(() -> notAcme.registerAccount(KeyType.EC_P256.generate(), Optional.empty()))
                // transient (a proxy's error page clears up): the stepper backs off, then fails the attempt (ca-unavailable)
                .isInstanceOf(io.certflow.issuance.ca.CaTransientException.class)
                .hasMessageContaining("register account: unexpected answer from the CA")
                .hasMessageContaining("content type");
    }

    static AcmeOptions eabWith(String preferredChain) {
        return new AcmeOptions(new ExternalAccountBinding(KID, HMAC, null), preferredChain, null);
    }

    private static AcmeCertificateAuthority ca(AcmeOptions options) {
        return new AcmeCertificateAuthority(URI.create(pebble.directoryUrl()), pebble.caCertificate(),
                Duration.ofSeconds(10), options);
    }

    private static CertificateChain issue(AcmeCertificateAuthority ca) throws Exception {
        return issue(ca, ca.registerAccount(KeyType.EC_P256.generate(), Optional.empty()));
    }

    private static CertificateChain issue(AcmeCertificateAuthority ca, CaAccount account) throws Exception {
        return PebbleIssuing.issue(ca, account, bind, pebble,
                List.of("c-" + UUID.randomUUID().toString().substring(0, 8) + ".demo.certflow.test"));
    }

    static X500Principal topIssuer(CertificateChain chain) {
        List<X509Certificate> certificates = chain.certificates();
        return certificates.get(certificates.size() - 1).getIssuerX500Principal();
    }

    static X509Certificate certificate(String pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }

    /** The CN of the certificate's subject: what an operator writes as preferred-chain. */
    static String commonName(X509Certificate certificate) throws Exception {
        return new LdapName(certificate.getSubjectX500Principal().getName()).getRdns().stream()
                .filter(r -> r.getType().equalsIgnoreCase("CN")).map(r -> r.getValue().toString()).findFirst().orElseThrow();
    }
}
