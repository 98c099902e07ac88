package io.certflow.issuance.keys;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

import java.security.Security;

/**
 * Registers the BouncyCastle JCA provider once per JVM. Exists because acme4j (JOSE signing, CSR
 * handling, ARI certificate ids) and the CSR code expect it to be present.
 */
public final class BouncyCastle {

    private BouncyCastle() {
    }

    /** Adds the provider unless it is already registered (after the JDK's own providers). */
    public static synchronized void ensureRegistered() {
        if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
            Security.addProvider(new BouncyCastleProvider());
        }
    }
}
