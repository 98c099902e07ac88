package io.certflow.verification.delegation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DomainNameTest {

    @Test
    void normalizesCaseAndTrailingDot() {
        DomainName name = DomainName.parse(" WWW.Example.COM. ");
        assertThat(name.value()).isEqualTo("www.example.com");
        assertThat(name.challengeRecordName()).isEqualTo("_acme-challenge.www.example.com.");
        assertThat(name.isWildcard()).isFalse();
        assertThat(name.authorizationDomain()).isEqualTo(name);
    }

    @Test
    void wildcardUsesTheChallengeNameOfItsBase() {
        DomainName name = DomainName.parse("*.example.com");
        assertThat(name.isWildcard()).isTrue();
        assertThat(name.authorizationDomain().value()).isEqualTo("example.com");
        assertThat(name.challengeRecordName()).isEqualTo("_acme-challenge.example.com.");
    }

    @Test
    void internationalizedNamesBecomePunycodeForDnsAndUnicodeForPeople() {
        DomainName idn = DomainName.parse("*.Bücher.example");
        assertThat(idn.value()).isEqualTo("*.xn--bcher-kva.example");
        assertThat(idn.challengeRecordName()).isEqualTo("_acme-challenge.xn--bcher-kva.example.");
        assertThat(idn.displayName()).isEqualTo("*.bücher.example");
        assertThat(DomainName.parse("xn--bcher-kva.example")).isEqualTo(DomainName.parse("bücher.example"));
        assertThat(DomainName.displayName("www.example.com")).isEqualTo("www.example.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "localhost", "exa mple.com", "-a.example.com", "a-.example.com",
            "a..example.com", "*.com", "www.*.example.com", "_acme-challenge.example.com", "127.0.0.1",
            "a/b.example.com", "example.com/../x"})
    void rejectsWhatIsNotAHostName(String input) {
        assertThatThrownBy(() -> DomainName.parse(input))
                .isInstanceOf(InvalidDomainNameException.class)
                .hasMessageContaining("domain name");
    }

    @Test
    void rejectsOverlongLabelsAndNames() {
        assertThatThrownBy(() -> DomainName.parse("a".repeat(64) + ".example.com"))
                .isInstanceOf(InvalidDomainNameException.class);
        String longName = ("a".repeat(60) + ".").repeat(5) + "com";
        assertThatThrownBy(() -> DomainName.parse(longName)).isInstanceOf(InvalidDomainNameException.class);
    }
}
