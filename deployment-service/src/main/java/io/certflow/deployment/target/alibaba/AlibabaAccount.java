package io.certflow.deployment.target.alibaba;

import io.certflow.deployment.target.CredentialField;
import io.certflow.deployment.target.InvalidTargetConfigException;
import io.certflow.deployment.target.TargetAccess;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An Alibaba Cloud credential as the adapters use it: the RAM user's AccessKey pair, the region its resources are
 * in, the region of its certificate store, and (tests only) a local endpoint. Read from a {@link TargetAccess}, with
 * every problem named at once. {@link #toString()} never shows the AccessKey secret.
 *
 * @param credentialId     the stored credential, the key of the {@link io.certflow.deployment.target.CloudCertificateLedger}
 * @param accessKeyId      the AccessKey ID
 * @param accessKeySecret  the AccessKey secret; never logged
 * @param regionId         where the account's load balancers are, e.g. {@code cn-hangzhou}
 * @param certificateRegion where the Certificate Management Service (CAS) keeps the certificates CDN uses:
 *                         {@code cn-hangzhou} (China site) or {@code ap-southeast-1} (international site)
 * @param endpoint         a local endpoint that replaces every Alibaba Cloud endpoint (tests), or null
 */
public record AlibabaAccount(String credentialId, String accessKeyId, String accessKeySecret, String regionId,
                             String certificateRegion, URI endpoint) {

    /** Setting names. */
    public static final String ACCESS_KEY_ID = "accessKeyId";
    public static final String REGION_ID = "regionId";
    public static final String CERTIFICATE_REGION = "certificateRegion";
    public static final String ENDPOINT = "endpoint";
    /** The secret's name. */
    public static final String ACCESS_KEY_SECRET = "accessKeySecret";

    /** What an Alibaba Cloud credential holds: {@link #of} knows these names and no others. */
    public static final List<CredentialField> FIELDS = List.of(
            CredentialField.setting(ACCESS_KEY_ID, "AccessKey ID (of a RAM user)"),
            CredentialField.secret(ACCESS_KEY_SECRET, "AccessKey secret"),
            CredentialField.setting(REGION_ID, "Region of the resources, e.g. cn-hangzhou"),
            CredentialField.optionalSetting(CERTIFICATE_REGION,
                    "Certificate store region: cn-hangzhou (China site, default) or ap-southeast-1 (international)"),
            CredentialField.optionalSetting(ENDPOINT, "API endpoint (tests only)"));

    private static final Set<String> SETTINGS = CredentialField.settingNames(FIELDS);
    private static final Set<String> SECRETS = CredentialField.secretNames(FIELDS);
    private static final Set<String> CERTIFICATE_REGIONS = Set.of("cn-hangzhou", "ap-southeast-1");
    private static final Pattern REGION = Pattern.compile("[a-z]{2,}(-[a-z0-9]+)+");
    private static final Pattern ACCESS_KEY = Pattern.compile("[A-Za-z0-9._-]{8,128}");

    /**
     * Reads and checks a credential.
     *
     * @param type                 the target type, for the message
     * @param customEndpointsAllowed whether {@code endpoint} may be set ({@link AlibabaProperties#customEndpoints()})
     * @throws InvalidTargetConfigException naming every problem, never the secret's value
     */
    public static AlibabaAccount of(String type, TargetAccess access, boolean customEndpointsAllowed) {
        List<String> problems = new ArrayList<>();
        access.settings().keySet().stream().filter(k -> !SETTINGS.contains(k)).sorted().forEach(k -> problems.add(
                ACCESS_KEY_SECRET.equals(k) ? "'" + k + "' must be given as a secret, not as a setting"
                        : "unknown setting '" + k + "' (known: " + String.join(", ", SETTINGS.stream().sorted().toList()) + ")"));
        access.secrets().keySet().stream().filter(k -> !SECRETS.contains(k)).sorted()
                .forEach(k -> problems.add("unknown secret '" + k + "' (known: " + ACCESS_KEY_SECRET + ")"));
        String keyId = access.setting(ACCESS_KEY_ID);
        if (keyId == null) {
            problems.add("'" + ACCESS_KEY_ID + "' is required (the RAM user's AccessKey ID)");
        } else if (!ACCESS_KEY.matcher(keyId).matches()) {
            problems.add("'" + ACCESS_KEY_ID + "' is not an AccessKey ID");
        }
        String secret = access.secret(ACCESS_KEY_SECRET);
        if (secret == null) {
            problems.add("secret '" + ACCESS_KEY_SECRET + "' is required");
        } else if (secret.chars().anyMatch(Character::isWhitespace)) {
            problems.add("secret '" + ACCESS_KEY_SECRET + "' contains white space");
        }
        String region = access.setting(REGION_ID);
        if (region == null) {
            problems.add("'" + REGION_ID + "' is required (e.g. cn-hangzhou)");
        } else if (!REGION.matcher(region).matches()) {
            problems.add("'" + REGION_ID + "' is not a region id (e.g. cn-hangzhou, ap-southeast-1)");
        }
        String certificateRegion = access.setting(CERTIFICATE_REGION);
        if (certificateRegion == null) {
            certificateRegion = "cn-hangzhou";
        } else if (!CERTIFICATE_REGIONS.contains(certificateRegion)) {
            problems.add("'" + CERTIFICATE_REGION + "' must be cn-hangzhou (China site) or ap-southeast-1 (international site)");
        }
        URI endpoint = null;
        String givenEndpoint = access.setting(ENDPOINT);
        if (givenEndpoint != null) {
            if (!customEndpointsAllowed) {
                problems.add("'" + ENDPOINT + "' is not allowed: Alibaba Cloud's own endpoints are used (a custom endpoint"
                        + " is for tests and needs certflow.deployment.alibaba.custom-endpoints=true)");
            } else {
                endpoint = endpoint(givenEndpoint, problems);
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidTargetConfigException(type, problems);
        }
        return new AlibabaAccount(access.credentialId(), keyId, secret, region, certificateRegion, endpoint);
    }

    private static URI endpoint(String given, List<String> problems) {
        try {
            URI uri = URI.create(given.contains("://") ? given : "https://" + given);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null
                    || (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/"))
                    || uri.getQuery() != null || uri.getUserInfo() != null) {
                problems.add("'" + ENDPOINT + "' must be http(s)://host[:port]");
                return null;
            }
            return uri;
        } catch (IllegalArgumentException e) {
            problems.add("'" + ENDPOINT + "' must be http(s)://host[:port]");
            return null;
        }
    }

    /** Removes the secret from a text that came back from a call (an SDK message), should it hold it. */
    public String redact(String text) {
        if (text == null || accessKeySecret == null || accessKeySecret.isEmpty()) {
            return text;
        }
        return text.replace(accessKeySecret, "<redacted>");
    }

    @Override
    public String toString() {
        return "AlibabaAccount[credentialId=" + credentialId + ", accessKeyId=" + accessKeyId + ", regionId=" + regionId
                + ", certificateRegion=" + certificateRegion + ", endpoint=" + endpoint + ", accessKeySecret=<redacted>]";
    }
}
