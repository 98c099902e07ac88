package io.certflow.testsupport;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class TestApiKeysTest {

    @Test
    void eachHashIsTheSha256OfItsKey() throws Exception {
        assertThat(TestApiKeys.sha256ByKey()).hasSize(9).allSatisfy((key, sha256) -> {
            assertThat(sha256).as(key).isEqualTo(sha256(key));
        });
    }

    @Test
    void ownerKeyGivesTheHashAndAccountProperties() {
        assertThat(TestApiKeys.ownerKey(TestApiKeys.KEY_C, "account-c"))
                .containsEntry("certflow.security.api-keys.key-c.sha256", TestApiKeys.KEY_C_SHA256)
                .containsEntry("certflow.security.api-keys.key-c.account", "account-c")
                .hasSize(2);
    }

    private static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
