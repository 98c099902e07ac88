package io.certflow.deployment.target.keystore;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The two keystore file formats Java servers load. Exists so that certflow writes the format the server is
 * configured for ({@code server.ssl.key-store-type}, Tomcat's {@code certificateKeystoreType}) and recognises a
 * file of the other format before it touches it: the JDK would otherwise load one as the other and write it
 * back in the format it found.
 */
public enum KeystoreFormat {

    /** PKCS#12 ({@code .p12}, {@code .pfx}): the JDK's default keystore type since Java 9. */
    PKCS12,

    /** The JDK's own legacy format ({@code .jks}), for servers configured with {@code JKS}. */
    JKS;

    private static final byte[] JKS_MAGIC = {(byte) 0xFE, (byte) 0xED, (byte) 0xFE, (byte) 0xED};
    private static final byte[] JCEKS_MAGIC = {(byte) 0xCE, (byte) 0xCE, (byte) 0xCE, (byte) 0xCE};

    /** The format named {@code name}, in any case. */
    public static Optional<KeystoreFormat> named(String name) {
        return Arrays.stream(values()).filter(f -> f.name().equals(name.toUpperCase(Locale.ROOT))).findFirst();
    }

    /**
     * The format a file's first bytes show: JKS and JCEKS start with their magic number, PKCS#12 with a DER
     * sequence.
     *
     * @return the format, or empty if the bytes are neither (JCEKS among them)
     */
    public static Optional<KeystoreFormat> detect(byte[] content) {
        if (content.length >= 4 && Arrays.equals(content, 0, 4, JKS_MAGIC, 0, 4)) {
            return Optional.of(JKS);
        }
        if (content.length >= 4 && Arrays.equals(content, 0, 4, JCEKS_MAGIC, 0, 4)) {
            return Optional.empty();
        }
        return content.length > 0 && content[0] == 0x30 ? Optional.of(PKCS12) : Optional.empty();
    }
}
