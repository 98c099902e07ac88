package io.certflow.issuance.profiles;

import io.certflow.issuance.ca.ExternalAccountBinding;
import io.certflow.issuance.issuing.CaProfileSettings;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * One CA profile as the configuration defines it, checked and resolved (catalogue CA → directory URL,
 * key type parsed, binding decoded), before any adapter is built. Exists so that validation is a plain
 * function with plain tests. {@link #toString()} comes from the record and shows the binding's key id only.
 *
 * @param name               the profile name
 * @param directoryUrl       the ACME directory
 * @param trustedCertificate PEM of the CA's TLS anchors, if not the JVM default trust
 * @param contactEmail       the contact for new accounts
 * @param requestTimeout     timeout of each request to the CA
 * @param eab                the external account binding, if configured
 * @param settings           what the state machine and the API see
 */
public record CaProfileDefinition(String name, URI directoryUrl, Optional<Path> trustedCertificate,
                                  Optional<String> contactEmail, Duration requestTimeout,
                                  Optional<ExternalAccountBinding> eab, CaProfileSettings settings) {
}
