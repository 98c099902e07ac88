package io.certflow.deployment.target.keystore;

import io.certflow.deployment.target.CredentialField;
import io.certflow.deployment.target.InvalidTargetConfigException;
import io.certflow.deployment.target.TargetAccess;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The passwords of a keystore, taken from the resource's credential. They are secrets of a credential, not
 * settings of the resource, because resource settings are stored in clear and shown back by the API, while a
 * credential's secrets are encrypted at rest and never shown; one credential also serves every keystore that
 * shares the password (a fleet of Tomcats), and changing the password is changing one credential.
 * {@link #toString()} never shows them.
 *
 * @param store the keystore's password (PKCS#12 integrity and encryption, JKS integrity)
 * @param key   the password of certflow's key entry: the credential's {@code keyPassword}, else the store
 *              password, which is what Spring Boot and Tomcat assume when none is configured
 */
public record KeystorePasswords(char[] store, char[] key) {

    /** The secret holding the store password (required). */
    public static final String STORE_PASSWORD = "storePassword";
    /** The secret holding the key password (optional). */
    public static final String KEY_PASSWORD = "keyPassword";

    /** What a keystore credential holds (secrets only): {@link #validate} knows these names and no others. */
    public static final List<CredentialField> FIELDS = List.of(
            CredentialField.secret(STORE_PASSWORD, "Keystore password"),
            CredentialField.optionalSecret(KEY_PASSWORD, "Key password (the keystore password if empty)"));

    private static final Set<String> SECRETS = CredentialField.secretNames(FIELDS);

    /**
     * Checks a credential's shape: a store password, no other secret than the two, and no plain setting.
     *
     * @throws InvalidTargetConfigException naming every problem (names, never values)
     */
    public static void validate(TargetAccess access) {
        List<String> problems = new ArrayList<>();
        if (access == null) {
            problems.add("a keystore resource needs a credential with the secret '" + STORE_PASSWORD + "'");
        } else {
            if (access.secret(STORE_PASSWORD) == null) {
                problems.add("the secret '" + STORE_PASSWORD + "' is required (the keystore's password)");
            }
            access.secrets().keySet().stream().filter(k -> !SECRETS.contains(k)).sorted()
                    .forEach(k -> problems.add("unknown secret '" + k + "' (known: " + String.join(", ", SECRETS) + ")"));
            access.settings().keySet().stream().sorted()
                    .forEach(k -> problems.add("unknown setting '" + k + "' (a keystore credential has secrets only)"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidTargetConfigException(KeystoreTarget.TYPE, problems);
        }
    }

    /**
     * The passwords of a credential.
     *
     * @throws InvalidTargetConfigException if the credential is missing or has no store password
     */
    public static KeystorePasswords of(TargetAccess access) {
        validate(access);
        char[] store = access.secret(STORE_PASSWORD).toCharArray();
        String key = access.secret(KEY_PASSWORD);
        return new KeystorePasswords(store, key == null ? store : key.toCharArray());
    }

    @Override
    public boolean equals(Object other) {
        return other == this;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    @Override
    public String toString() {
        return "KeystorePasswords[<redacted>]";
    }
}
