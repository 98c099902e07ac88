package io.certflow.issuance.keys;

import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CsrFactoryTest {

    @Test
    void namesEveryDomainAsASubjectAltNameAndIsSignedByTheCertificateKey() throws Exception {
        KeyPair key = KeyType.EC_P256.generate();
        List<String> domains = List.of("example.test", "*.example.test", "www.example.test");

        PKCS10CertificationRequest csr = new PKCS10CertificationRequest(CsrFactory.create(key, KeyType.EC_P256, domains));

        assertThat(csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key.getPublic()))).isTrue();
        assertThat(csr.getSubject().toString()).isEqualTo("CN=example.test");
        Extensions extensions = Extensions.getInstance(
                csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)[0].getAttrValues().getObjectAt(0));
        GeneralNames sans = GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName);
        assertThat(Arrays.stream(sans.getNames()).map(n -> n.getName().toString()).toList())
                .containsExactlyElementsOf(domains);
        assertThat(Arrays.stream(sans.getNames()).allMatch(n -> n.getTagNo() == GeneralName.dNSName)).isTrue();
    }

    @Test
    void aNameTooLongForTheCommonNameIsOnlyASubjectAltName() throws Exception {
        String longName = "a".repeat(60) + ".example.test";
        KeyPair key = KeyType.EC_P256.generate();

        PKCS10CertificationRequest csr = new PKCS10CertificationRequest(
                CsrFactory.create(key, KeyType.EC_P256, List.of(longName)));

        assertThat(csr.getSubject().getRDNs()).isEmpty();
    }

    @Test
    void keyTypesParseWithTheDefaultWhenAbsent() {
        assertThat(KeyType.parse(null)).isEqualTo(KeyType.EC_P256);
        assertThat(KeyType.parse("ec-p384")).isEqualTo(KeyType.EC_P384);
        assertThatThrownBy(() -> KeyType.parse("DSA_1024")).hasMessageContaining("unsupported key type");
        assertThat(KeyType.EC_P256.generate().getPublic().getAlgorithm()).isEqualTo("EC");
    }
}
