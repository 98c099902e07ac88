package io.certflow.verification.dns.provider.alibaba;

import java.net.URI;
import java.time.Duration;

/**
 * How to reach Alibaba Cloud DNS (Alidns) for an account: the API endpoint, the AccessKey pair of a RAM user
 * allowed to change the account's DNS records, and a timeout per request. {@link #toString()} never shows the
 * secret, and the constructor refuses settings that cannot work without repeating the secret.
 *
 * @param endpoint        the Alidns RPC endpoint, {@code https://alidns.aliyuncs.com} when null
 * @param accessKeyId     the AccessKey ID (not secret: it names the key)
 * @param accessKeySecret the AccessKey secret
 * @param timeout         the timeout of each request, 10 seconds when null
 */
public record AlibabaDnsSettings(URI endpoint, String accessKeyId, String accessKeySecret, Duration timeout) {

    /** Alidns's public endpoint, the same for every region. */
    public static final URI DEFAULT_ENDPOINT = URI.create("https://alidns.aliyuncs.com");

    public AlibabaDnsSettings {
        endpoint = endpoint == null ? DEFAULT_ENDPOINT : endpoint;
        if (endpoint.getRawUserInfo() != null) {
            throw new IllegalArgumentException("the Alidns endpoint must not carry user information");
        }
        String scheme = endpoint.getScheme();
        String path = endpoint.getRawPath();
        if (!"https".equalsIgnoreCase(scheme) && !"http".equalsIgnoreCase(scheme) || endpoint.getHost() == null
                || path != null && !path.isEmpty() && !path.equals("/") || endpoint.getRawQuery() != null
                || endpoint.getRawFragment() != null) {
            throw new IllegalArgumentException("the Alidns endpoint must be a bare URL such as " + DEFAULT_ENDPOINT
                    + ", not " + endpoint);
        }
        if (accessKeyId == null || accessKeyId.isBlank()) {
            throw new IllegalArgumentException("the Alibaba Cloud AccessKey ID is missing");
        }
        accessKeyId = accessKeyId.strip();
        if (!accessKeyId.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
            throw new IllegalArgumentException("the Alibaba Cloud AccessKey ID contains spaces or characters"
                    + " that are not printable ASCII");
        }
        if (accessKeySecret == null || accessKeySecret.isBlank()) {
            throw new IllegalArgumentException("the Alibaba Cloud AccessKey secret is missing");
        }
        accessKeySecret = accessKeySecret.strip();
        if (!accessKeySecret.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
            throw new IllegalArgumentException("the Alibaba Cloud AccessKey secret of " + accessKeyId
                    + " contains spaces, line breaks or characters that are not printable ASCII (copied badly?)");
        }
        timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the Alidns timeout must be positive, not " + timeout);
        }
    }

    @Override
    public String toString() {
        return "AlibabaDnsSettings[endpoint=" + endpoint + ", accessKeyId=" + accessKeyId + ", timeout=" + timeout
                + "]";
    }
}
