package io.certflow.verification.dns.provider.alibaba;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The RPC signature reproduces the worked example of Alibaba Cloud's "Request signatures (RPC)" documentation
 * (ECS {@code DescribeRegions}, AccessKey {@code testid} / {@code testsecret}): if it drifts, every Alidns call
 * is refused with {@code SignatureDoesNotMatch} while the local fake, which signs the same way, would not notice.
 */
class RpcSignatureTest {

    private static final Map<String, String> DOCUMENTED_REQUEST = Map.of(
            "AccessKeyId", "testid",
            "Action", "DescribeRegions",
            "Format", "XML",
            "SignatureMethod", "HMAC-SHA1",
            "SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
            "SignatureVersion", "1.0",
            "Timestamp", "2016-02-23T12:46:24Z",
            "Version", "2014-05-26");

    @Test
    void signsTheDocumentedExampleToTheDocumentedSignature() {
        assertThat(RpcSignature.stringToSign(DOCUMENTED_REQUEST)).isEqualTo("GET&%2F&AccessKeyId%3Dtestid"
                + "%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1"
                + "%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0"
                + "%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26");
        assertThat(RpcSignature.sign("testsecret", DOCUMENTED_REQUEST)).isEqualTo("OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
    }

    @Test
    void encodesEverythingButTheUnreservedCharactersAndSpacesAsPercent20() {
        assertThat(RpcSignature.percentEncode("a-b_c.d~e")).isEqualTo("a-b_c.d~e");
        assertThat(RpcSignature.percentEncode("a b+c*d/é=&")).isEqualTo("a%20b%2Bc%2Ad%2F%C3%A9%3D%26");
    }
}
