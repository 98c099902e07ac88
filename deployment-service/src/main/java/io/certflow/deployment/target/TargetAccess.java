package io.certflow.deployment.target;

import java.util.Map;
import java.util.TreeSet;

/**
 * The credential a resource is reached with (a cloud account's access key, an SSH key, a Kubernetes token),
 * decrypted only for the call that needs it: its plain settings (region, endpoint, host…) and its secrets.
 * {@link #toString()} names the secrets, never their values.
 *
 * @param credentialId the stored credential
 * @param settings     plain settings, shown back to people
 * @param secrets      secret settings, never shown, logged or put in an event
 */
public record TargetAccess(String credentialId, Map<String, String> settings, Map<String, String> secrets) {

    public TargetAccess {
        settings = settings == null ? Map.of() : Map.copyOf(settings);
        secrets = secrets == null ? Map.of() : Map.copyOf(secrets);
    }

    /** A plain setting, stripped, or null when missing or blank. */
    public String setting(String key) {
        String value = settings.get(key);
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** A secret, as given, or null when missing or blank. */
    public String secret(String key) {
        String value = secrets.get(key);
        return value == null || value.isBlank() ? null : value;
    }

    @Override
    public String toString() {
        return "TargetAccess[credentialId=" + credentialId + ", settings=" + settings + ", secrets="
                + new TreeSet<>(secrets.keySet()) + " (values redacted)]";
    }
}
