package io.certflow.order.ordering;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DomainNamesTest {

    @ParameterizedTest
    @CsvSource({
            "www.example.com, www.example.com",
            "WWW.Example.COM, www.example.com",
            "example.com., example.com",
            "'  example.com  ', example.com",
            "*.example.com, *.example.com",
            "*.EXAMPLE.com., *.example.com",
            "xn--bcher-kva.example, xn--bcher-kva.example",
            "3com.example, 3com.example",
            "a-b.c-d.example, a-b.c-d.example",
            "123.example.org, 123.example.org",
            "bücher.example, xn--bcher-kva.example",
            "*.Bücher.example, *.xn--bcher-kva.example",
            "www.münchen.de, www.xn--mnchen-3ya.de",
            "example.co.uk, example.co.uk",
            "*.example.co.uk, *.example.co.uk",
            "www.demo.certflow.test, www.demo.certflow.test"})
    void acceptsAndCanonicalizesHostNames(String raw, String canonical) {
        assertThat(DomainNames.normalize(raw)).isEqualTo(canonical);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", ".", "localhost", "com.", "*.com", "*", "www.*.example.com", "w*.example.com",
            "*example.com", "exa_mple.com", "exa mple.com", "-www.example.com", "www-.example.com", "a..example.com",
            ".example.com", "1.2.3.4", "example.123", "example.com..", "ex@mple.com", "co.uk", "*.co.uk", "github.io",
            "*.github.io", "xn--a.example", "a\u200db.example"})
    void refusesWhatIsNotAHostName(String raw) {
        assertThatThrownBy(() -> DomainNames.normalize(raw)).isInstanceOf(InvalidOrderException.class);
    }

    @Test
    void saysWhatIsWrong() {
        assertThatThrownBy(() -> DomainNames.normalize("exa_mple.com"))
                .hasMessageContaining("'exa_mple.com'").hasMessageContaining("letters, digits and hyphens");
        assertThatThrownBy(() -> DomainNames.normalize("www.*.example.com")).hasMessageContaining("leftmost label");
        assertThatThrownBy(() -> DomainNames.normalize("localhost")).hasMessageContaining("at least two");
        assertThatThrownBy(() -> DomainNames.normalize("co.uk")).hasMessageContaining("public suffix")
                .hasMessageContaining("example.co.uk");
        assertThatThrownBy(() -> DomainNames.normalize("*.co.uk")).hasMessageContaining("every registrant");
        assertThatThrownBy(() -> DomainNames.normalize("a\u200db.example"))
                .hasMessageContaining("not a valid internationalized domain name");
        assertThatThrownBy(() -> DomainNames.normalize(null)).hasMessageContaining("missing");
    }

    @Test
    void labelsHaveAtMost63Characters() {
        String label63 = "a".repeat(63);
        assertThat(DomainNames.normalize(label63 + ".example.com")).isEqualTo(label63 + ".example.com");
        assertThatThrownBy(() -> DomainNames.normalize("a" + label63 + ".example.com"))
                .hasMessageContaining("64 characters").hasMessageContaining("at most 63");
    }

    @Test
    void namesHaveAtMost253Characters() {
        String name253 = String.join(".", "a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(57), "com");
        assertThat(name253).hasSize(253);
        assertThat(DomainNames.normalize(name253)).isEqualTo(name253);
        assertThat(DomainNames.normalize(name253 + ".")).as("the root dot does not count").isEqualTo(name253);
        assertThatThrownBy(() -> DomainNames.normalize("e" + name253)).hasMessageContaining("254 characters");
    }

    @Test
    void anOrderKeepsItsOrderWithoutDuplicates() {
        assertThat(DomainNames.normalizeAll(List.of("www.example.com", "example.com", "WWW.example.com.",
                "*.example.com", "example.com"), 100))
                .containsExactly("www.example.com", "example.com", "*.example.com");
    }

    @Test
    void anOrderNamesTheFaultyEntry() {
        assertThatThrownBy(() -> DomainNames.normalizeAll(List.of("example.com", "bad_name.com"), 100))
                .isInstanceOf(InvalidOrderException.class).hasMessageStartingWith("domains[1]: 'bad_name.com'");
        assertThatThrownBy(() -> DomainNames.normalizeAll(Arrays.asList("example.com", null), 100))
                .hasMessageStartingWith("domains[1]:");
    }

    @Test
    void anOrderNeedsOneNameAndAtMostTheLimit() {
        assertThatThrownBy(() -> DomainNames.normalizeAll(List.of(), 100)).hasMessageContaining("at least one");
        assertThatThrownBy(() -> DomainNames.normalizeAll(null, 100)).hasMessageContaining("at least one");
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            many.add("host" + i + ".example.com");
        }
        assertThat(DomainNames.normalizeAll(many.subList(0, 100), 100)).hasSize(100);
        assertThatThrownBy(() -> DomainNames.normalizeAll(many, 100)).hasMessageContaining("at most 100");
        many.set(100, "HOST0.example.com");
        assertThat(DomainNames.normalizeAll(many, 100)).as("duplicates do not count").hasSize(100);
    }
}
