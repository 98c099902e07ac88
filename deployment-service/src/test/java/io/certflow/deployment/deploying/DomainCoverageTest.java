package io.certflow.deployment.deploying;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DomainCoverageTest {

    @Test
    void exactNamesMatchCaseInsensitivelyAndIgnoreTheTrailingDot() {
        assertThat(DomainCoverage.covers(List.of("www.example.com"), "WWW.Example.com.")).isTrue();
        assertThat(DomainCoverage.covers(List.of("www.example.com"), "example.com")).isFalse();
    }

    @Test
    void aWildcardCoversExactlyOneLabel() {
        List<String> wildcard = List.of("*.example.com");
        assertThat(DomainCoverage.covers(wildcard, "www.example.com")).isTrue();
        assertThat(DomainCoverage.covers(wildcard, "example.com")).isFalse();
        assertThat(DomainCoverage.covers(wildcard, "a.b.example.com")).isFalse();
        assertThat(DomainCoverage.covers(wildcard, "www.example.org")).isFalse();
    }

    @Test
    void nothingCoversAMissingName() {
        assertThat(DomainCoverage.covers(List.of("www.example.com"), null)).isFalse();
        assertThat(DomainCoverage.covers(List.of("www.example.com"), " ")).isFalse();
    }
}
