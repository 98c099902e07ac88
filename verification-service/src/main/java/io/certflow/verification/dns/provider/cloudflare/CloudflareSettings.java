package io.certflow.verification.dns.provider.cloudflare;

import java.net.URI;
import java.time.Duration;

/**
 * How to reach Cloudflare's API for an account: the API base, an API token allowed to read the zones and edit
 * their DNS records ({@code Zone:Read}, {@code DNS:Edit}), and a timeout per request. {@link #toString()} never
 * shows the token, and the constructor refuses settings that cannot work without repeating the token.
 *
 * @param endpoint the API base, {@code https://api.cloudflare.com/client/v4} when null
 * @param apiToken the API token (sent as {@code Authorization: Bearer})
 * @param timeout  the timeout of each request, 10 seconds when null
 */
public record CloudflareSettings(URI endpoint, String apiToken, Duration timeout) {

    /** Cloudflare's API, version 4. */
    public static final URI DEFAULT_ENDPOINT = URI.create("https://api.cloudflare.com/client/v4");

    public CloudflareSettings {
        endpoint = endpoint == null ? DEFAULT_ENDPOINT : endpoint;
        if (endpoint.getRawUserInfo() != null) {
            throw new IllegalArgumentException("the Cloudflare endpoint must not carry user information");
        }
        String scheme = endpoint.getScheme();
        if (!"https".equalsIgnoreCase(scheme) && !"http".equalsIgnoreCase(scheme) || endpoint.getHost() == null
                || endpoint.getRawQuery() != null || endpoint.getRawFragment() != null) {
            throw new IllegalArgumentException("the Cloudflare endpoint must be a URL such as " + DEFAULT_ENDPOINT
                    + ", not " + endpoint);
        }
        if (apiToken == null || apiToken.isBlank()) {
            throw new IllegalArgumentException("the Cloudflare API token is missing");
        }
        apiToken = apiToken.strip();
        if (!apiToken.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
            throw new IllegalArgumentException("the Cloudflare API token contains spaces, line breaks or characters"
                    + " that are not printable ASCII (copied badly?)");
        }
        timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the Cloudflare timeout must be positive, not " + timeout);
        }
    }

    @Override
    public String toString() {
        return "CloudflareSettings[endpoint=" + endpoint + ", timeout=" + timeout + "]";
    }
}
