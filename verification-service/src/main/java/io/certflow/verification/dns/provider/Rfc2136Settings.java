package io.certflow.verification.dns.provider;

import org.xbill.DNS.Name;
import org.xbill.DNS.TSIG;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Where and how to send RFC 2136 dynamic updates: the primary server, the TSIG key (name, algorithm, base64
 * secret) the server accepts for the zone, and a timeout. {@link #toString()} never shows the secret.
 *
 * @param server    the server's address (host and port)
 * @param keyName   the TSIG key name, e.g. {@code certflow-key.}
 * @param algorithm {@code hmac-sha256} (default), {@code hmac-sha384}, {@code hmac-sha512} or {@code hmac-sha1}
 * @param secret    the base64 secret
 * @param timeout   the timeout of each exchange
 */
public record Rfc2136Settings(InetSocketAddress server, String keyName, String algorithm, String secret,
                              Duration timeout) {

    private static final Map<String, Name> ALGORITHMS = Map.of(
            "hmac-sha1", TSIG.HMAC_SHA1, "hmac-sha256", TSIG.HMAC_SHA256,
            "hmac-sha384", TSIG.HMAC_SHA384, "hmac-sha512", TSIG.HMAC_SHA512);

    public Rfc2136Settings {
        Objects.requireNonNull(server, "server");
        if (keyName == null || keyName.isBlank()) {
            throw new IllegalArgumentException("the TSIG key name is missing");
        }
        algorithm = algorithm == null || algorithm.isBlank() ? "hmac-sha256" : algorithm.trim().toLowerCase(Locale.ROOT);
        if (!ALGORITHMS.containsKey(algorithm)) {
            throw new IllegalArgumentException("unsupported TSIG algorithm '" + algorithm + "'; one of "
                    + String.join(", ", ALGORITHMS.keySet().stream().sorted().toList()));
        }
        try {
            if (secret == null || Base64.getDecoder().decode(secret.trim()).length < 16) {
                throw new IllegalArgumentException("the TSIG secret must be base64 of at least 16 bytes");
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the TSIG secret must be base64 of at least 16 bytes");
        }
        timeout = timeout == null ? Duration.ofSeconds(5) : timeout;
    }

    /** The dnsjava TSIG key of these settings. */
    TSIG tsig() {
        return new TSIG(ALGORITHMS.get(algorithm), keyName.endsWith(".") ? keyName : keyName + ".", secret.trim());
    }

    @Override
    public String toString() {
        return "Rfc2136Settings[server=" + server + ", keyName=" + keyName + ", algorithm=" + algorithm + "]";
    }
}
