package io.certflow.issuance.ca;

import java.net.URI;
import java.security.KeyPair;
import java.util.Objects;

/**
 * A registered account at a CA: its URL (the ACME key id) and the key pair that signs every request.
 * Exists so that callers can hold an account without knowing the CA library; the key pair is never
 * printed by {@link #toString()}.
 *
 * @param accountUrl the account's URL at the CA
 * @param keyPair    the account key pair
 */
public record CaAccount(URI accountUrl, KeyPair keyPair) {

    public CaAccount {
        Objects.requireNonNull(accountUrl, "accountUrl");
        Objects.requireNonNull(keyPair, "keyPair");
    }

    @Override
    public String toString() {
        return "CaAccount[" + accountUrl + "]";
    }
}
