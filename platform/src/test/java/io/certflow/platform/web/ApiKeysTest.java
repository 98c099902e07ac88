package io.certflow.platform.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ApiKeysTest {

    @Test
    void hashesAsTheStandardSha256InLowerCaseHex() {
        assertThat(ApiKeys.sha256("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void aNewKeyIsLongRandomAndComesWithItsHash() {
        ApiKeys.NewKey one = ApiKeys.newKey();
        ApiKeys.NewKey two = ApiKeys.newKey();

        assertThat(one.key()).startsWith(ApiKeys.PREFIX).hasSizeGreaterThanOrEqualTo(ApiKeys.PREFIX.length() + 43);
        assertThat(one.sha256()).isEqualTo(ApiKeys.sha256(one.key()));
        assertThat(two.key()).isNotEqualTo(one.key());
        assertThat(one.toString()).doesNotContain(one.key());
    }
}
