package io.certflow.deployment.target.aws;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The test's SigV4 verifier against AWS's published example ("Signature Version 4 signing process", AWS General
 * Reference: IAM {@code ListUsers}, {@code GET https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08}, access
 * key {@code AKIDEXAMPLE}, 2015-08-30T12:36:00Z): every intermediate value AWS prints (the canonical request's hash, the
 * string to sign, the signing key) and the final signature. Only a verifier that passes this judges the SDK's requests.
 */
class SigV4VerifierTest {

    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static final Instant AT = Instant.parse("2015-08-30T12:36:00Z");
    private static final String SIGNATURE = "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7";

    private static SigV4Verifier.Request iamExample(String signature, String query) {
        return new SigV4Verifier.Request("GET", "/", query, Map.of(
                "Host", List.of("iam.amazonaws.com"),
                "Content-Type", List.of("application/x-www-form-urlencoded; charset=utf-8"),
                "X-Amz-Date", List.of("20150830T123600Z"),
                "Authorization", List.of("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
                        + "SignedHeaders=content-type;host;x-amz-date, Signature=" + signature)), new byte[0]);
    }

    @Test
    void computesEveryIntermediateValueOfAwsPublishedExample() {
        SigV4Verifier.Request request = iamExample(SIGNATURE, "Action=ListUsers&Version=2010-05-08");

        String canonical = SigV4Verifier.canonicalRequest(request, List.of("content-type", "host", "x-amz-date"), true);
        assertThat(canonical).isEqualTo("""
                GET
                /
                Action=ListUsers&Version=2010-05-08
                content-type:application/x-www-form-urlencoded; charset=utf-8
                host:iam.amazonaws.com
                x-amz-date:20150830T123600Z

                content-type;host;x-amz-date
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855""");
        assertThat(SigV4Verifier.hex(SigV4Verifier.sha256(canonical.getBytes(StandardCharsets.UTF_8))))
                .isEqualTo("f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59");
        assertThat(SigV4Verifier.stringToSign("20150830T123600Z", "20150830/us-east-1/iam/aws4_request", canonical))
                .isEqualTo("AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/iam/aws4_request\n"
                        + "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59");
        assertThat(SigV4Verifier.hex(SigV4Verifier.signingKey(SECRET, "20150830", "us-east-1", "iam")))
                .isEqualTo("c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");
    }

    @Test
    void acceptsThePublishedSignatureAndOnlyIt() {
        assertThat(SigV4Verifier.verify(iamExample(SIGNATURE, "Action=ListUsers&Version=2010-05-08"),
                k -> "AKIDEXAMPLE".equals(k) ? SECRET : null, AT).problem()).isNull();
        // the parameters in another order are the same canonical request
        assertThat(SigV4Verifier.verify(iamExample(SIGNATURE, "Version=2010-05-08&Action=ListUsers"),
                k -> SECRET, AT).valid()).isTrue();

        assertThat(SigV4Verifier.verify(iamExample(SIGNATURE, "Action=ListRoles&Version=2010-05-08"), k -> SECRET, AT)
                .problem()).isEqualTo("signature mismatch");
        assertThat(SigV4Verifier.verify(iamExample(SIGNATURE, "Action=ListUsers&Version=2010-05-08"),
                k -> SECRET.replace('K', 'k'), AT).problem()).isEqualTo("signature mismatch");
        assertThat(SigV4Verifier.verify(iamExample(SIGNATURE, "Action=ListUsers&Version=2010-05-08"), k -> null, AT)
                .problem()).isEqualTo("unknown access key id");
        assertThat(SigV4Verifier.verify(iamExample(SIGNATURE, "Action=ListUsers&Version=2010-05-08"), k -> SECRET,
                AT.plusSeconds(3600)).problem()).contains("15 minutes");
    }

    @Test
    void encodesAsAwsDocuments() {
        assertThat(SigV4Verifier.encode("a b*~/+=é")).isEqualTo("a%20b%2A~%2F%2B%3D%C3%A9");
        assertThat(SigV4Verifier.decode("a%20b+%2F")).isEqualTo("a b+/");
        // a path segment sent encoded once is encoded again in the canonical request (every service but S3)
        SigV4Verifier.Request request = new SigV4Verifier.Request("GET", "/documents%20and%20settings/", null,
                Map.of("Host", List.of("example.amazonaws.com")), new byte[0]);
        assertThat(SigV4Verifier.canonicalRequest(request, List.of("host"), true)).startsWith(
                "GET\n/documents%2520and%2520settings/\n\n");
    }
}
