package io.certflow.verification.dns.provider.route53;

import java.net.URI;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * How to reach Amazon Route 53 and with which credential: the API endpoint, an IAM access key (id and secret,
 * and the session token of temporary credentials), the region requests are signed for, and a timeout.
 * {@link #toString()} never shows the secret or the token, and the constructor names what is wrong without
 * echoing them.
 *
 * @param endpoint        the API endpoint; {@code https://route53.amazonaws.com} when {@code null}
 * @param accessKeyId     the access key id, e.g. {@code AKIAIOSFODNN7EXAMPLE}
 * @param secretAccessKey the secret access key of that id
 * @param sessionToken    the session token of temporary (STS) credentials; {@code null} or blank for none
 * @param region          the region requests are signed for; {@code us-east-1} (Route 53 is global) when
 *                        {@code null} or blank
 * @param timeout         the timeout of each request; 10 seconds when {@code null}
 */
public record Route53Settings(URI endpoint, String accessKeyId, String secretAccessKey, String sessionToken,
                              String region, Duration timeout) {

    /** Route 53's global endpoint. */
    public static final URI DEFAULT_ENDPOINT = URI.create("https://route53.amazonaws.com");
    /** The region Route 53's global endpoint signs in. */
    public static final String DEFAULT_REGION = "us-east-1";

    private static final Pattern ACCESS_KEY_ID = Pattern.compile("\\w{16,128}");
    private static final Pattern REGION = Pattern.compile("[a-z0-9-]{1,32}");
    private static final Pattern HEADER_SAFE = Pattern.compile("[\\x21-\\x7e]+");

    public Route53Settings {
        endpoint = endpoint == null ? DEFAULT_ENDPOINT : endpoint;
        if (!("https".equals(endpoint.getScheme()) || "http".equals(endpoint.getScheme()))
                || endpoint.getHost() == null || endpoint.getRawQuery() != null || endpoint.getRawFragment() != null
                || endpoint.getRawUserInfo() != null
                || !(endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() || "/".equals(endpoint.getRawPath()))) {
            throw new IllegalArgumentException("the Route 53 endpoint must be an http(s) URL of a host only, such as "
                    + DEFAULT_ENDPOINT + ", not '" + endpoint + "'");
        }
        if (accessKeyId == null || accessKeyId.isBlank()) {
            throw new IllegalArgumentException("the AWS access key id is missing");
        }
        accessKeyId = accessKeyId.trim();
        if (!ACCESS_KEY_ID.matcher(accessKeyId).matches()) {
            throw new IllegalArgumentException("the AWS access key id must be 16 to 128 letters, digits or underscores"
                    + " (such as AKIAIOSFODNN7EXAMPLE); was it swapped with the secret?");
        }
        if (secretAccessKey == null || secretAccessKey.isBlank()) {
            throw new IllegalArgumentException("the AWS secret access key of " + accessKeyId + " is missing");
        }
        secretAccessKey = secretAccessKey.trim();
        if (!HEADER_SAFE.matcher(secretAccessKey).matches()) {
            throw new IllegalArgumentException("the AWS secret access key of " + accessKeyId
                    + " contains spaces or control characters; copy it again as one line");
        }
        sessionToken = sessionToken == null || sessionToken.isBlank() ? null : sessionToken.trim();
        if (sessionToken != null && !HEADER_SAFE.matcher(sessionToken).matches()) {
            throw new IllegalArgumentException("the AWS session token of " + accessKeyId
                    + " contains spaces or control characters; copy it again as one line");
        }
        region = region == null || region.isBlank() ? DEFAULT_REGION : region.trim();
        if (!REGION.matcher(region).matches()) {
            throw new IllegalArgumentException("'" + region + "' is not an AWS region name (such as "
                    + DEFAULT_REGION + ")");
        }
        timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the Route 53 timeout must be positive, not " + timeout);
        }
    }

    /** Settings for Route 53's global endpoint, signed for {@code us-east-1}, with a 10 second timeout. */
    public static Route53Settings of(String accessKeyId, String secretAccessKey, String sessionToken) {
        return new Route53Settings(null, accessKeyId, secretAccessKey, sessionToken, null, null);
    }

    @Override
    public String toString() {
        return "Route53Settings[endpoint=" + endpoint + ", accessKeyId=" + accessKeyId
                + (sessionToken != null ? ", with session token" : "") + ", region=" + region
                + ", timeout=" + timeout + "]";
    }
}
