package io.certflow.issuance.keys;

import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

import java.io.IOException;
import java.security.KeyPair;
import java.util.List;

/**
 * Builds the PKCS#10 certificate signing request sent when an order is finalized: every domain as a
 * DNS subjectAltName, the first one as common name when it fits. Exists so that the CSR is made with
 * BouncyCastle outside the ACME adapter, from the certificate's own fresh key.
 */
public final class CsrFactory {

    private static final int MAX_COMMON_NAME = 64;

    private CsrFactory() {
    }

    /** The DER of a CSR for {@code domains}, signed with {@code keyPair} of type {@code keyType}. */
    public static byte[] create(KeyPair keyPair, KeyType keyType, List<String> domains) {
        if (domains.isEmpty()) {
            throw new IllegalArgumentException("a CSR needs at least one domain");
        }
        try {
            X500NameBuilder subject = new X500NameBuilder(BCStyle.INSTANCE);
            if (domains.get(0).length() <= MAX_COMMON_NAME) {
                subject.addRDN(BCStyle.CN, domains.get(0));
            }
            X500Name name = subject.build();
            GeneralName[] sans = domains.stream()
                    .map(d -> new GeneralName(GeneralName.dNSName, d))
                    .toArray(GeneralName[]::new);
            ExtensionsGenerator extensions = new ExtensionsGenerator();
            extensions.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
            return new JcaPKCS10CertificationRequestBuilder(name, keyPair.getPublic())
                    .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate())
                    .build(new JcaContentSignerBuilder(keyType.signatureAlgorithm()).build(keyPair.getPrivate()))
                    .getEncoded();
        } catch (IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot build the certificate signing request", e);
        }
    }
}
