package io.certflow.verification.delegation;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class DelegationLabelsTest {

    @Test
    void labelsAre160RandomBitsInLowerCaseBase32() {
        DelegationLabels labels = new DelegationLabels();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String label = labels.newLabel();
            assertThat(label).hasSize(32).matches("[a-z2-7]{32}");
            assertThat(DelegationLabels.isWellFormed(label)).isTrue();
            seen.add(label);
        }
        assertThat(seen).hasSize(1000);
        assertThat(DelegationLabels.BITS).isGreaterThanOrEqualTo(128);
    }

    @Test
    void base32FollowsRfc4648() {
        // RFC 4648 §10 test vectors, lower-case, without padding
        assertThat(DelegationLabels.base32("f".getBytes())).isEqualTo("my");
        assertThat(DelegationLabels.base32("foo".getBytes())).isEqualTo("mzxw6");
        assertThat(DelegationLabels.base32("foobar".getBytes())).isEqualTo("mzxw6ytboi");
    }

    @Test
    void recognizesForeignShapes() {
        assertThat(DelegationLabels.isWellFormed("short")).isFalse();
        assertThat(DelegationLabels.isWellFormed("0".repeat(32))).isFalse();
        assertThat(DelegationLabels.isWellFormed(null)).isFalse();
    }
}
