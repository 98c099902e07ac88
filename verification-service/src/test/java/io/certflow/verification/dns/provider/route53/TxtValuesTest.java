package io.certflow.verification.dns.provider.route53;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** TXT values in Route 53's quoted form: quoted, split at 255 bytes, escaped, and read back. */
class TxtValuesTest {

    @Test
    void aChallengeDigestIsOneQuotedString() {
        String digest = "LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0";

        assertThat(TxtValues.quote(digest)).isEqualTo("\"" + digest + "\"");
        assertThat(TxtValues.unquote("\"" + digest + "\"")).isEqualTo(digest);
    }

    @Test
    void aValueLongerThan255BytesIsSplitIntoStringsThatReadBackAsOne() {
        String value = "a".repeat(255) + "b".repeat(45);

        String quoted = TxtValues.quote(value);

        assertThat(quoted).isEqualTo("\"" + "a".repeat(255) + "\" \"" + "b".repeat(45) + "\"");
        assertThat(TxtValues.unquote(quoted)).isEqualTo(value);
        assertThat(TxtValues.quote("c".repeat(510))).isEqualTo("\"" + "c".repeat(255) + "\" \"" + "c".repeat(255) + "\"");
    }

    @Test
    void quotesAndBackslashesAreEscapedAndBytesOutsidePrintableAsciiAreOctal() {
        String value = "say \"hi\" \\ ü";

        String quoted = TxtValues.quote(value);

        assertThat(quoted).isEqualTo("\"say \\\"hi\\\" \\\\ \\303\\274\"");
        assertThat(TxtValues.unquote(quoted)).isEqualTo(value);
    }

    @Test
    void readsValuesOtherToolsWroteUnquotedOrEmpty() {
        assertThat(TxtValues.unquote("v=spf1")).isEqualTo("v=spf1");
        assertThat(TxtValues.quote("")).isEqualTo("\"\"");
        assertThat(TxtValues.unquote("\"\"")).isEmpty();
    }
}
