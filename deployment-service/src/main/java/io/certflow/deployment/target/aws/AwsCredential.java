package io.certflow.deployment.target.aws;

import io.certflow.deployment.target.CredentialField;
import io.certflow.deployment.target.InvalidTargetConfigException;
import io.certflow.deployment.target.TargetAccess;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * An AWS credential as the AWS targets read it from a stored {@link TargetAccess}: an IAM access key (optionally a
 * session token, optionally a role to assume with it), the region resources are listed in, and, only where
 * {@code certflow.deployment.aws.custom-endpoints} allows it, an endpoint that replaces every AWS endpoint (tests).
 * Parsing checks the shape only and names every problem at once; no message ever holds a secret's value.
 *
 * @param credentialId    the stored credential (the certificate ledger's key, with the region)
 * @param accessKeyId     the IAM access key id
 * @param secretAccessKey the secret key; never logged
 * @param sessionToken    for temporary credentials, or null
 * @param region          the region discovery lists and load balancers are reached in, e.g. {@code eu-west-1}
 * @param roleArn         a role to assume with the key before every call, or null
 * @param externalId      the external id that role's trust policy demands, or null
 * @param endpoint        the endpoint every AWS call goes to instead of AWS's, or null
 */
public record AwsCredential(String credentialId, String accessKeyId, String secretAccessKey, String sessionToken,
                            String region, String roleArn, String externalId, URI endpoint) {

    /** What an AWS credential holds: {@link #parse} knows these names and no others. */
    public static final List<CredentialField> FIELDS = List.of(
            CredentialField.setting("accessKeyId", "Access key ID, e.g. AKIAIOSFODNN7EXAMPLE"),
            CredentialField.secret("secretAccessKey", "Secret access key"),
            CredentialField.optionalSecret("sessionToken", "Session token (temporary credentials only)"),
            CredentialField.setting("region", "Region, e.g. eu-west-1"),
            CredentialField.optionalSetting("roleArn", "Role to assume, e.g. arn:aws:iam::123456789012:role/certflow"),
            CredentialField.optionalSetting("externalId", "External ID the role demands"),
            CredentialField.optionalSetting("endpoint", "API endpoint (tests only)"));
    /** The plain settings an AWS credential takes. */
    public static final Set<String> SETTINGS = CredentialField.settingNames(FIELDS);
    /** The secrets an AWS credential takes. */
    public static final Set<String> SECRETS = CredentialField.secretNames(FIELDS);

    private static final Pattern ACCESS_KEY_ID = Pattern.compile("[A-Z0-9]{16,128}");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");
    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}");
    private static final Pattern EXTERNAL_ID = Pattern.compile("[\\w+=,.@:/-]{2,1224}");

    /**
     * Reads and checks a credential.
     *
     * @param type            the target type, for the message
     * @param customEndpoints whether {@code endpoint} is allowed
     * @throws InvalidTargetConfigException naming every problem (never a secret's value)
     */
    public static AwsCredential parse(String type, TargetAccess access, boolean customEndpoints) {
        if (access == null) {
            throw new InvalidTargetConfigException(type, List.of("the resource has no AWS credential (credentialId)"));
        }
        List<String> problems = new ArrayList<>();
        new TreeSet<>(access.settings().keySet()).stream().filter(k -> !SETTINGS.contains(k))
                .forEach(k -> problems.add("unknown setting '" + k + "' (known: " + String.join(", ", new TreeSet<>(SETTINGS)) + ")"));
        new TreeSet<>(access.secrets().keySet()).stream().filter(k -> !SECRETS.contains(k))
                .forEach(k -> problems.add("unknown secret '" + k + "' (known: " + String.join(", ", new TreeSet<>(SECRETS)) + ")"));

        String accessKeyId = access.setting("accessKeyId");
        if (accessKeyId == null) {
            problems.add("'accessKeyId' is required (the IAM access key id, e.g. AKIAIOSFODNN7EXAMPLE)");
        } else if (!ACCESS_KEY_ID.matcher(accessKeyId).matches()) {
            problems.add("'accessKeyId' is not an AWS access key id (16-128 upper-case letters and digits)");
        }
        String secret = access.secret("secretAccessKey");
        if (secret == null) {
            problems.add("secret 'secretAccessKey' is required");
        } else if (secret.chars().anyMatch(Character::isWhitespace)) {
            problems.add("secret 'secretAccessKey' holds white space (was it pasted with a line break?)");
        }
        String sessionToken = access.secret("sessionToken");
        if (sessionToken != null && sessionToken.chars().anyMatch(Character::isWhitespace)) {
            problems.add("secret 'sessionToken' holds white space");
        }
        String region = access.setting("region");
        if (region == null) {
            problems.add("'region' is required (where load balancers are and resources are listed, e.g. eu-west-1)");
        } else if (!REGION.matcher(region).matches()) {
            problems.add("'region' is not an AWS region name (e.g. us-east-1, eu-west-1)");
        }
        String roleArn = access.setting("roleArn");
        if (roleArn != null && !ROLE_ARN.matcher(roleArn).matches()) {
            problems.add("'roleArn' is not an IAM role ARN (arn:aws:iam::123456789012:role/name)");
        }
        String externalId = access.setting("externalId");
        if (externalId != null && roleArn == null) {
            problems.add("'externalId' needs 'roleArn' (it is sent when the role is assumed)");
        } else if (externalId != null && !EXTERNAL_ID.matcher(externalId).matches()) {
            problems.add("'externalId' must be 2-1224 characters of letters, digits and +=,.@:/-_");
        }
        URI endpoint = null;
        String endpointSetting = access.setting("endpoint");
        if (endpointSetting != null) {
            if (!customEndpoints) {
                problems.add("setting 'endpoint' is not allowed here: certflow talks to AWS's own endpoints");
            } else {
                try {
                    endpoint = URI.create(endpointSetting);
                    if (endpoint.getScheme() == null || !endpoint.getScheme().matches("https?") || endpoint.getHost() == null) {
                        problems.add("setting 'endpoint' must be an http(s) URL");
                    }
                } catch (IllegalArgumentException e) {
                    problems.add("setting 'endpoint' is not a URL");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidTargetConfigException(type, problems);
        }
        return new AwsCredential(access.credentialId(), accessKeyId, secret, sessionToken, region, roleArn, externalId,
                endpoint);
    }

    /**
     * The key under which the certificate ledger records this credential's uploads to ACM in {@code acmRegion}: one
     * version is imported once per account and region (ACM is regional; CloudFront reads us-east-1 only).
     */
    public String ledgerKey(String acmRegion) {
        return credentialId + "@" + acmRegion;
    }

    @Override
    public String toString() {
        return "AwsCredential[credentialId=" + credentialId + ", accessKeyId=" + accessKeyId + ", region=" + region
                + ", roleArn=" + roleArn + ", endpoint=" + endpoint + ", secrets=<redacted>]";
    }
}
