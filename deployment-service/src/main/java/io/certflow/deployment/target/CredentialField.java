package io.certflow.deployment.target;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One field of a cloud service's credential, as a form asks for it. Exists so that what a person is asked for
 * and what {@link DeploymentTarget#validateCredential} accepts come from one declaration: each target family
 * declares its fields once, derives the setting and secret names its parser knows from them
 * ({@link #settingNames}, {@link #secretNames}), and {@code CredentialFieldsTest} fails when the declared
 * required fields and the parser's checks disagree.
 *
 * @param name      the key in the credential's {@code settings} or {@code secrets}
 * @param label     what a form shows, with an example where one helps
 * @param secret    a secret (sealed, never shown back; a password input) rather than a plain setting
 * @param required  whether the credential is refused without it
 * @param multiline whether the value spans lines (a PEM certificate, a private key)
 */
public record CredentialField(String name, String label, boolean secret, boolean required, boolean multiline) {

    /** A required plain setting on one line. */
    public static CredentialField setting(String name, String label) {
        return new CredentialField(name, label, false, true, false);
    }

    /** An optional plain setting on one line. */
    public static CredentialField optionalSetting(String name, String label) {
        return new CredentialField(name, label, false, false, false);
    }

    /** A required secret on one line. */
    public static CredentialField secret(String name, String label) {
        return new CredentialField(name, label, true, true, false);
    }

    /** An optional secret on one line. */
    public static CredentialField optionalSecret(String name, String label) {
        return new CredentialField(name, label, true, false, false);
    }

    /** The same field, spanning lines. */
    public CredentialField spanningLines() {
        return new CredentialField(name, label, secret, required, true);
    }

    /** The names of the plain settings among {@code fields}, in their order. */
    public static Set<String> settingNames(List<CredentialField> fields) {
        return names(fields, false);
    }

    /** The names of the secrets among {@code fields}, in their order. */
    public static Set<String> secretNames(List<CredentialField> fields) {
        return names(fields, true);
    }

    /** {@code fields} without the one named {@code name} (a setting this installation does not allow). */
    public static List<CredentialField> without(List<CredentialField> fields, String name) {
        return fields.stream().filter(f -> !f.name().equals(name)).toList();
    }

    private static Set<String> names(List<CredentialField> fields, boolean secret) {
        Set<String> names = new LinkedHashSet<>();
        fields.stream().filter(f -> f.secret() == secret).forEach(f -> names.add(f.name()));
        return Collections.unmodifiableSet(names);
    }
}
