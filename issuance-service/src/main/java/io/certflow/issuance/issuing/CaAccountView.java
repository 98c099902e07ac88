package io.certflow.issuance.issuing;

import java.time.Instant;

/**
 * What the API shows of one certflow account's ACME account at one CA profile: never the key, only
 * where the account lives and what kind of key signs for it.
 *
 * @param accountUrl      the account URL at the CA (null while not registered)
 * @param registeredAt    when it was registered (or last re-registered)
 * @param keyAlgorithm    the account key type ({@code EC_P256}, {@code RSA_2048}, …)
 * @param lastKeyRollover when the key was last rolled over, or null
 * @param rolloverPending whether a rolled-over key still waits to be confirmed
 */
public record CaAccountView(String accountUrl, Instant registeredAt, String keyAlgorithm, Instant lastKeyRollover,
                            boolean rolloverPending) {
}
