package io.certflow.issuance.caa;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 8659 §3 tree climbing and the refusal sentence, on a scripted resolver that records every name asked.
 */
class CaaCheckTest {

    private static final CaaIssuer LE = new CaaIssuer("le", List.of("letsencrypt.org"), "https://acme.test/acct/1");

    private final Map<String, List<CaaRecord>> zone = new HashMap<>();
    private final Map<String, String> cnames = new HashMap<>();
    private final Map<String, CaaLookupException> failures = new HashMap<>();
    private final List<String> asked = new ArrayList<>();
    private final CaaCheck check = new CaaCheck(name -> {
        asked.add(name);
        if (failures.containsKey(name)) {
            throw failures.get(name);
        }
        String canonical = cnames.getOrDefault(name, name);
        return new CaaRecordSet(name, canonical, zone.getOrDefault(canonical, List.of()));
    });

    @Test
    void climbsFromTheNameToItsParents_andStopsAtTheFirstNameWithARecordSet() {
        zone.put("example.com.", CaaRulesTest.records("0 issue \"sectigo.com\""));
        zone.put("com.", CaaRulesTest.records("0 issue \"letsencrypt.org\""));

        Optional<CaaRefusal> refusal = check.check(List.of("a.b.example.com"), LE);

        assertThat(asked).containsExactly("a.b.example.com.", "b.example.com.", "example.com.");
        assertThat(refusal).hasValueSatisfying(r -> {
            assertThat(r.domain()).isEqualTo("a.b.example.com");
            assertThat(r.set().owner()).isEqualTo("example.com.");
        });
    }

    @Test
    void aNameAboveAnyRecordSetIsAllowed_andTheRootIsNeverAsked() {
        Optional<CaaRefusal> refusal = check.check(List.of("www.example.com"), LE);

        assertThat(refusal).isEmpty();
        assertThat(asked).containsExactly("www.example.com.", "example.com.", "com.");
    }

    @Test
    void aCloserRecordSetOverridesAParentThatForbids() {
        zone.put("example.com.", CaaRulesTest.records("0 issue \";\""));
        zone.put("shop.example.com.", CaaRulesTest.records("0 issue \"letsencrypt.org\""));

        assertThat(check.check(List.of("shop.example.com", "www.shop.example.com"), LE)).isEmpty();
        assertThat(check.check(List.of("shop.example.com", "blog.example.com"), LE))
                .hasValueSatisfying(r -> assertThat(r.domain()).isEqualTo("blog.example.com"));
    }

    @Test
    void aWildcardClimbsFromItsBaseName_andIsGovernedByIssuewild() {
        zone.put("example.com.", CaaRulesTest.records("0 issue \"letsencrypt.org\" | 0 issuewild \";\""));

        assertThat(check.check(List.of("example.com"), LE)).isEmpty();
        Optional<CaaRefusal> refusal = check.check(List.of("example.com", "*.example.com"), LE);

        assertThat(asked).doesNotContain("*.example.com.");
        assertThat(refusal).hasValueSatisfying(r -> assertThat(r.sentence()).isEqualTo(
                "CAA forbids CA profile 'le' (letsencrypt.org) to issue for *.example.com: the CAA record set at"
                + " example.com. [0 issue \"letsencrypt.org\", 0 issuewild \";\"] allows no CA to issue wildcard"
                + " certificates. To allow it, add example.com. CAA 0 issuewild \"letsencrypt.org\" to that set, then"
                + " request the certificate again."));
    }

    @Test
    void aCnameLeadsToTheTargetsRecordSet_whichTheSentenceNames() {
        cnames.put("www.example.com.", "shop.cdn.example.net.");
        zone.put("shop.cdn.example.net.", CaaRulesTest.records("0 issue \"sectigo.com\""));

        Optional<CaaRefusal> refusal = check.check(List.of("www.example.com"), LE);

        assertThat(refusal).hasValueSatisfying(r -> assertThat(r.sentence())
                .contains("the CAA record set at www.example.com. (CNAME to shop.cdn.example.net.) [0 issue \"sectigo.com\"]"
                        + " allows only sectigo.com to issue certificates")
                .contains("add shop.cdn.example.net. CAA 0 issue \"letsencrypt.org\""));
    }

    @Test
    void eachNameIsAskedOncePerCheck() {
        check.check(List.of("a.example.com", "b.example.com", "example.com"), LE);

        assertThat(asked).containsExactly("a.example.com.", "example.com.", "com.", "b.example.com.");
    }

    @Test
    void aLookupWithoutAnswerLetsTheOrderGoOn_andAnUnreachableResolverIsNotAskedForTheOtherNames() {
        zone.put("example.org.", CaaRulesTest.records("0 issue \";\""));
        failures.put("a.example.com.", new CaaLookupException("the resolver answered SERVFAIL", false, null));

        assertThat(check.check(List.of("a.example.com", "b.example.org"), LE))
                .as("SERVFAIL for one name, the next name is still checked").isPresent();

        asked.clear();
        failures.put("a.example.com.", new CaaLookupException("no answer", true, null));
        assertThat(check.check(List.of("a.example.com", "b.example.org"), LE)).isEmpty();
        assertThat(asked).containsExactly("a.example.com.");
    }

    @Test
    void theCheckOffAsksNothing() {
        assertThat(CaaCheck.off().enabled()).isFalse();
        assertThat(CaaCheck.off().check(List.of("example.com"), LE)).isEmpty();
    }
}
