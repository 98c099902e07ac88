package io.certflow.issuance.caa;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decision rules of RFC 8659 §4 and RFC 8657, one row per case, for Let's Encrypt as CA profile 'le' and the
 * account {@value #ACCOUNT}. Records are written as in a zone file, several separated by {@code |}.
 */
class CaaRulesTest {

    private static final String ACCOUNT = "https://acme.test/acct/1";
    private static final CaaIssuer LE = new CaaIssuer("le", List.of("letsencrypt.org"), ACCOUNT);

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiterString = " :: ", quoteCharacter = '\'', value = {
            // name :: records :: 'allowed' or a piece of the reason :: a piece of the fix, or empty
            "'www.example.com' :: '' :: 'allowed' :: ''",
            "'www.example.com' :: '0 issue \"letsencrypt.org\"' :: 'allowed' :: ''",
            "'www.example.com' :: '0 issue \"LetsEncrypt.ORG\"' :: 'allowed' :: ''",
            "'www.example.com' :: '0 ISSUE \"letsencrypt.org\"' :: 'allowed' :: ''",
            "'www.example.com' :: '128 issue \"letsencrypt.org\"' :: 'allowed' :: ''",
            "'www.example.com' :: '0 issue \"sectigo.com\"' :: 'allows only sectigo.com to issue certificates' :: 'add example.com. CAA 0 issue \"letsencrypt.org\" to that set'",
            "'www.example.com' :: '0 issue \"sectigo.com\" | 0 issue \"pki.goog\"' :: 'allows only sectigo.com, pki.goog' :: ''",
            "'www.example.com' :: '0 issue \"sectigo.com\" | 0 issue \"letsencrypt.org\"' :: 'allowed' :: ''",
            "'www.example.com' :: '0 issue \";\"' :: 'allows no CA to issue certificates' :: 'add example.com. CAA 0 issue \"letsencrypt.org\"'",
            "'www.example.com' :: '0 issue \"\"' :: 'allows no CA to issue certificates' :: ''",
            "'www.example.com' :: '0 issue \"letsencrypt.org.\"' :: 'allows no CA' :: ''",
            "'www.example.com' :: '0 issue \"letsencrypt.org; accounturi\"' :: 'allows no CA' :: ''",
            "'www.example.com' :: '0 issue \"letsencrypt.org; accounturi=https://acme.test/acct/1\"' :: 'allowed' :: ''",
            "'www.example.com' :: '0 issue \"  letsencrypt.org ;  accounturi = https://acme.test/acct/1 ; \"' :: 'allowed' :: ''",
            "'www.example.com' :: '0 issue \"letsencrypt.org; accounturi=https://acme.test/acct/2\"' :: 'only for the ACME account https://acme.test/acct/2 (accounturi), not for the profile''s account https://acme.test/acct/1' :: 'CAA 0 issue \"letsencrypt.org; accounturi=https://acme.test/acct/1\"'",
            "'www.example.com' :: '0 issue \"letsencrypt.org; validationmethods=http-01,dns-01\"' :: 'allowed' :: ''",
            "'www.example.com' :: '0 issue \"letsencrypt.org; validationmethods=http-01,tls-alpn-01\"' :: 'only with the validation methods http-01,tls-alpn-01 (validationmethods)' :: ''",
            "'www.example.com' :: '0 issue \"letsencrypt.org; accounturi=https://acme.test/acct/1; validationmethods=dns-01\"' :: 'allowed' :: ''",
            "'www.example.com' :: '0 issue \"letsencrypt.org; policy=ev\"' :: 'allowed' :: ''",
            "'www.example.com' :: '0 iodef \"mailto:security@example.com\"' :: 'allowed' :: ''",
            "'www.example.com' :: '128 iodef \"mailto:security@example.com\"' :: 'allowed' :: ''",
            "'www.example.com' :: '0 tbs \"unknown\" | 0 issue \"letsencrypt.org\"' :: 'allowed' :: ''",
            "'www.example.com' :: '128 tbs \"unknown\" | 0 issue \"letsencrypt.org\"' :: 'holds the property ''tbs'' with the Issuer Critical flag' :: 'remove that property or clear its critical flag'",
            "'www.example.com' :: '128 tbs \"unknown\"' :: 'holds the property ''tbs''' :: ''",
            "'www.example.com' :: '0 issuewild \";\"' :: 'allowed' :: ''",
            "'www.example.com' :: '0 issue \"sectigo.com\" | 0 issuewild \"letsencrypt.org\"' :: 'allows only sectigo.com to issue certificates' :: 'CAA 0 issue \"letsencrypt.org\"'",
            "'*.example.com' :: '0 issue \"letsencrypt.org\"' :: 'allowed' :: ''",
            "'*.example.com' :: '0 issue \"sectigo.com\"' :: 'allows only sectigo.com to issue certificates' :: 'CAA 0 issue \"letsencrypt.org\"'",
            "'*.example.com' :: '0 issue \";\" | 0 issuewild \"letsencrypt.org\"' :: 'allowed' :: ''",
            "'*.example.com' :: '0 issue \"letsencrypt.org\" | 0 issuewild \";\"' :: 'allows no CA to issue wildcard certificates' :: 'add example.com. CAA 0 issuewild \"letsencrypt.org\"'",
            "'*.example.com' :: '0 issue \"letsencrypt.org\" | 0 issuewild \"sectigo.com\"' :: 'allows only sectigo.com to issue wildcard certificates' :: 'CAA 0 issuewild'",
            "'*.example.com' :: '0 ISSUEWILD \"letsencrypt.org\" | 0 issue \"sectigo.com\"' :: 'allowed' :: ''",
    })
    void decides(String name, String records, String outcome, String fix) {
        CaaRecordSet set = new CaaRecordSet("example.com.", "example.com.", records(records));

        Optional<CaaRules.Denial> denial = CaaRules.decide(set, name.startsWith("*."), LE);

        if (outcome.equals("allowed")) {
            assertThat(denial).isEmpty();
            return;
        }
        assertThat(denial).hasValueSatisfying(d -> {
            assertThat(d.why()).contains(outcome);
            if (!fix.isEmpty()) {
                assertThat(d.fix()).contains(fix);
            }
        });
    }

    /** {@code 0 issue "a" | 128 tbs "b"}: flags, tag, then the quoted value. */
    static List<CaaRecord> records(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        return Arrays.stream(text.split(" \\| ")).map(String::strip).map(r -> {
            String[] parts = r.split(" ", 3);
            String value = parts[2];
            return new CaaRecord(Integer.parseInt(parts[0]), parts[1], value.substring(1, value.length() - 1));
        }).toList();
    }
}
