package io.certflow.verification.dns.lookup;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TxtAnswersTest {

    private static final TxtAnswers.ServerTxt BOTH = new TxtAnswers.ServerTxt("ns1.example.com. (192.0.2.1)",
            List.of("a", "b", "older"), null);
    private static final TxtAnswers.ServerTxt ONLY_A = new TxtAnswers.ServerTxt("ns2.example.com. (2001:db8::2)",
            List.of("a"), null);
    private static final TxtAnswers.ServerTxt SILENT = new TxtAnswers.ServerTxt("ns3.example.com. (192.0.2.3)",
            List.of(), "did not answer within 2.0 s");

    @Test
    void allServeOnlyWhenEveryServerAnswersEveryValue() {
        String name = "_acme-challenge.example.com.";
        assertThat(new TxtAnswers(name, "example.com.", List.of(BOTH), null).allServe(List.of("a", "b"))).isTrue();
        assertThat(new TxtAnswers(name, "example.com.", List.of(BOTH, ONLY_A), null).allServe(List.of("a", "b"))).isFalse();
        assertThat(new TxtAnswers(name, "example.com.", List.of(BOTH, ONLY_A), null).allServe(List.of("a"))).isTrue();
        assertThat(new TxtAnswers(name, "example.com.", List.of(BOTH, SILENT), null).allServe(List.of())).isFalse();
        assertThat(new TxtAnswers(name, null, List.of(), "no zone holds it").allServe(List.of())).isFalse();
    }

    @Test
    void describeSaysWhatEachServerAnswered() {
        TxtAnswers answers = new TxtAnswers("_acme-challenge.example.com.", "example.com.", List.of(BOTH, ONLY_A, SILENT), null);

        assertThat(answers.describe()).isEqualTo("TXT _acme-challenge.example.com. on the 3 authoritative servers of"
                + " example.com.: ns1.example.com. (192.0.2.1) has \"a\", \"b\", \"older\"; ns2.example.com. (2001:db8::2)"
                + " has \"a\"; ns3.example.com. (192.0.2.3) did not answer within 2.0 s");
        assertThat(new TxtAnswers("x.example.", null, List.of(), "no zone holds it").describe())
                .isEqualTo("TXT x.example.: no zone holds it");
    }

    @Test
    void serversAreLabelledWithTheAddressAskedInItsShortForm() throws Exception {
        ZoneServers.NameServer ns = new ZoneServers.NameServer(Name.fromString("NS1.Example.com."), List.of());

        assertThat(ns.label(null)).isEqualTo("ns1.example.com.");
        assertThat(ns.label(InetAddress.getByName("192.0.2.1"))).isEqualTo("ns1.example.com. (192.0.2.1)");
        assertThat(ns.label(InetAddress.getByName("2001:db8:0:0:0:0:0:1"))).isEqualTo("ns1.example.com. (2001:db8::1)");
        assertThat(ns.label(InetAddress.getByName("::1"))).isEqualTo("ns1.example.com. (::1)");
    }
}
