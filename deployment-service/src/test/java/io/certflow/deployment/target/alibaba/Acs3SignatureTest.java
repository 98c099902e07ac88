package io.certflow.deployment.target.alibaba;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fake cloud's signature verifier against the worked example of Alibaba's V3 signature documentation (RunInstances
 * on ecs.cn-shanghai.aliyuncs.com, AccessKey YourAccessKeyId / YourAccessKeySecret): if this fails, no other Alibaba
 * test proves anything about signatures.
 */
class Acs3SignatureTest {

    private static final Map<String, String> QUERY = Map.of(
            "ImageId", "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd", "RegionId", "cn-shanghai");
    private static final Map<String, String> HEADERS = Map.of(
            "host", "ecs.cn-shanghai.aliyuncs.com",
            "x-acs-action", "RunInstances",
            "x-acs-content-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "x-acs-date", "2023-10-26T10:22:32Z",
            "x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d",
            "x-acs-version", "2014-05-26");
    private static final List<String> SIGNED = List.of("host", "x-acs-action", "x-acs-content-sha256", "x-acs-date",
            "x-acs-signature-nonce", "x-acs-version");

    @Test
    void reproducesTheDocumentedExample() {
        String canonical = Acs3Signature.canonicalRequest("POST", "/", QUERY, HEADERS, SIGNED,
                Acs3Signature.sha256Hex(new byte[0]));

        assertThat(canonical).isEqualTo("""
                POST
                /
                ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai
                host:ecs.cn-shanghai.aliyuncs.com
                x-acs-action:RunInstances
                x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                x-acs-date:2023-10-26T10:22:32Z
                x-acs-signature-nonce:3156853299f313e23d1673dc12e1703d
                x-acs-version:2014-05-26

                host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855""");
        assertThat(Acs3Signature.stringToSign(canonical))
                .isEqualTo("ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259");
        assertThat(Acs3Signature.signature("YourAccessKeySecret", canonical))
                .isEqualTo("06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0");
    }

    @Test
    void aWrongSecretGivesAnotherSignature() {
        String canonical = Acs3Signature.canonicalRequest("POST", "/", QUERY, HEADERS, SIGNED,
                Acs3Signature.sha256Hex(new byte[0]));
        assertThat(Acs3Signature.signature("YourAccessKeySecreT", canonical))
                .isNotEqualTo("06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0");
    }

    @Test
    void encodesAsAlibabaAsks() {
        assertThat(Acs3Signature.percentEncode("a b*c~d+e/f=\n")).isEqualTo("a%20b%2Ac~d%2Be%2Ff%3D%0A");
    }
}
