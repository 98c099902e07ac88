package io.certflow.verification.dns.provider.route53;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The signer against the example of the AWS General Reference ("Signature Version 4 signing process": IAM
 * {@code ListUsers}, {@code GET https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08}, access key
 * {@code AKIDEXAMPLE}, 2015-08-30T12:36:00Z), whose signature AWS publishes.
 */
class SigV4SignerTest {

    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static final Instant AT = Instant.parse("2015-08-30T12:36:00Z");
    private static final Map<String, String> CONTENT_TYPE =
            Map.of("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");

    private final SigV4Signer signer = new SigV4Signer("AKIDEXAMPLE", SECRET, null, "us-east-1", "iam");

    @Test
    void signsTheDocumentedIamExampleWithTheDocumentedSignature() {
        Map<String, String> headers = signer.sign("GET",
                URI.create("https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08"), CONTENT_TYPE, new byte[0], AT);

        assertThat(headers).containsEntry("X-Amz-Date", "20150830T123600Z").doesNotContainKey("X-Amz-Security-Token");
        assertThat(headers.get("Authorization")).isEqualTo("AWS4-HMAC-SHA256 "
                + "Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
                + "SignedHeaders=content-type;host;x-amz-date, "
                + "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
    }

    @Test
    void queryParametersAreSignedSortedSoTheirOrderInTheUrlDoesNotMatter() {
        String sorted = signer.sign("GET", URI.create("https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08"),
                CONTENT_TYPE, new byte[0], AT).get("Authorization");
        String reversed = signer.sign("GET", URI.create("https://iam.amazonaws.com/?Version=2010-05-08&Action=ListUsers"),
                CONTENT_TYPE, new byte[0], AT).get("Authorization");
        String otherValue = signer.sign("GET", URI.create("https://iam.amazonaws.com/?Action=ListRoles&Version=2010-05-08"),
                CONTENT_TYPE, new byte[0], AT).get("Authorization");

        assertThat(reversed).isEqualTo(sorted);
        assertThat(otherValue).isNotEqualTo(sorted);
    }

    @Test
    void theSessionTokenOfTemporaryCredentialsIsSentAndSigned() {
        SigV4Signer temporary = new SigV4Signer("AKIDEXAMPLE", SECRET, "session-token", "us-east-1", "iam");

        Map<String, String> headers = temporary.sign("GET",
                URI.create("https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08"), CONTENT_TYPE, new byte[0], AT);

        assertThat(headers).containsEntry("X-Amz-Security-Token", "session-token");
        assertThat(headers.get("Authorization")).contains("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token")
                .doesNotContain("5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
    }

    @Test
    void theHostSignedIsTheOneJavaNetHttpSendsWithThePortOnlyWhenNotTheDefault() {
        String defaultPort = signer.sign("GET", URI.create("https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08"),
                CONTENT_TYPE, new byte[0], AT).get("Authorization");
        String explicit443 = signer.sign("GET", URI.create("https://iam.amazonaws.com:443/?Action=ListUsers&Version=2010-05-08"),
                CONTENT_TYPE, new byte[0], AT).get("Authorization");
        String port8443 = signer.sign("GET", URI.create("https://iam.amazonaws.com:8443/?Action=ListUsers&Version=2010-05-08"),
                CONTENT_TYPE, new byte[0], AT).get("Authorization");

        assertThat(explicit443).isEqualTo(defaultPort);
        assertThat(port8443).isNotEqualTo(defaultPort);
    }

    @Test
    void encodesEverythingButUnreservedCharactersWithUpperCaseHex() {
        assertThat(SigV4Signer.encode("_acme-challenge.www.example.com.")).isEqualTo("_acme-challenge.www.example.com.");
        assertThat(SigV4Signer.encode("a b*~/+=é")).isEqualTo("a%20b%2A~%2F%2B%3D%C3%A9");
    }

    @Test
    void neverShowsTheSecret() {
        assertThat(signer.toString()).contains("AKIDEXAMPLE").doesNotContain(SECRET);
    }
}
