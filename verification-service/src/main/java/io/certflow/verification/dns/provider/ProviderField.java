package io.certflow.verification.dns.provider;

/**
 * One field of a DNS provider credential, as a form asks for it. Declared once per {@link ProviderKind}; the
 * factory's check reads the same declaration (required, known, secret or not), so a form built from it asks for
 * exactly what a credential is checked against.
 *
 * @param name     the key in the credential's {@code settings} or {@code secrets}
 * @param label    what a form shows, with an example where one helps
 * @param secret   a secret (sealed, never shown back; a password input) rather than a plain setting
 * @param required whether the credential is refused without it
 */
public record ProviderField(String name, String label, boolean secret, boolean required) {

    static ProviderField setting(String name, String label) {
        return new ProviderField(name, label, false, true);
    }

    static ProviderField optionalSetting(String name, String label) {
        return new ProviderField(name, label, false, false);
    }

    static ProviderField secret(String name, String label) {
        return new ProviderField(name, label, true, true);
    }

    static ProviderField optionalSecret(String name, String label) {
        return new ProviderField(name, label, true, false);
    }
}
