package io.certflow.verification.dns.lookup;

import io.certflow.devstack.Binaries;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static io.certflow.verification.dns.lookup.LoopbackDns.NOBODY;
import static io.certflow.verification.dns.lookup.LoopbackDns.V4;
import static io.certflow.verification.dns.lookup.LoopbackDns.V6;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Challenge propagation as a CA sees it: the TXT values of a name on every authoritative server of its zone,
 * against real BIND servers (two for one zone, one of them without the record; one listed but not running;
 * signed zones).
 */
class AuthoritativeServersIT {

    @TempDir
    static Path dir;
    static LoopbackDns dns;
    static AuthoritativeServers servers;

    @BeforeAll
    static void startDns() {
        assumeTrue(Binaries.isAvailable(Binaries.NAMED), "BIND (named) is not installed");
        dns = LoopbackDns.builder()
                .zone("solo.test.", V4, """
                        _acme-challenge.www TXT "digest-1"
                        _acme-challenge.www TXT "digest-2"
                        _acme-challenge.alias CNAME elsewhere.solo.test.
                        """)
                .zone("pair.test.", V4, "_acme-challenge.www TXT \"digest-1\"")
                .zone("pair.test.", V6, "_acme-challenge.other TXT \"unrelated\"")
                .zone("half.test.", V4, "_acme-challenge.www TXT \"digest-1\"")
                .zone("half.test.", NOBODY, "")
                .signedZone("signed.test.", V4, "_acme-challenge.www TXT \"digest-1\"", LoopbackDns.Signing.valid())
                .signedZone("stale.test.", V4, "_acme-challenge.www TXT \"digest-1\"",
                        LoopbackDns.Signing.expiredSignatures())
                .start(dir);
        servers = new AuthoritativeServers(dns.settings(), Clock.systemUTC());
    }

    @AfterAll
    static void stopDns() {
        if (dns != null) {
            dns.close();
        }
    }

    @Test
    void everyServerServingTheValuesIsPropagated() {
        TxtAnswers answers = servers.txtOnEveryAuthoritativeServer("_acme-challenge.www.solo.test.");

        assertThat(answers.zone()).isEqualTo("solo.test.");
        assertThat(answers.servers()).singleElement().satisfies(s -> {
            assertThat(s.server()).isEqualTo("ns1.solo.test. (127.0.0.1)");
            assertThat(s.values()).containsExactlyInAnyOrder("digest-1", "digest-2");
        });
        assertThat(answers.allServe(List.of("digest-1", "digest-2"))).isTrue();
        assertThat(answers.allServe(List.of("digest-1", "digest-3"))).isFalse();
        assertThat(answers.describe()).contains("ns1.solo.test.").contains("\"digest-1\"");
        assertThat(servers.txtOnEveryAuthoritativeServer("_acme-challenge.www.solo.test").allServe(List.of("digest-2")))
                .as("without the final dot").isTrue();
    }

    @Test
    void aServerWithoutTheRecordHoldsPropagationBackAndIsNamed() {
        TxtAnswers answers = servers.txtOnEveryAuthoritativeServer("_acme-challenge.www.pair.test.");

        assertThat(answers.servers()).extracting(TxtAnswers.ServerTxt::server)
                .containsExactly("ns1.pair.test. (127.0.0.1)", "ns2.pair.test. (::1)");
        assertThat(answers.servers().get(0).values()).containsExactly("digest-1");
        assertThat(answers.servers().get(1).answered()).isTrue();
        assertThat(answers.servers().get(1).values()).isEmpty();
        assertThat(answers.allServe(List.of("digest-1"))).isFalse();
        assertThat(answers.describe()).contains("ns2.pair.test. (::1) has none");
    }

    @Test
    void aServerThatDoesNotAnswerHoldsPropagationBackAndSaysWhy() {
        TxtAnswers answers = servers.txtOnEveryAuthoritativeServer("_acme-challenge.www.half.test.");

        assertThat(answers.servers()).hasSize(2);
        assertThat(answers.servers().get(0).values()).containsExactly("digest-1");
        TxtAnswers.ServerTxt silent = answers.servers().get(1);
        assertThat(silent.server()).isEqualTo("ns2.half.test. (127.0.0.2)");
        assertThat(silent.answered()).isFalse();
        assertThat(silent.problem()).contains("did not answer");
        assertThat(answers.allServe(List.of("digest-1"))).isFalse();
        assertThat(answers.describe()).contains("ns2.half.test. (127.0.0.2) did not answer");
    }

    @Test
    void aSignedZoneServesOnlyWhileItsSignaturesHold() {
        assertThat(servers.txtOnEveryAuthoritativeServer("_acme-challenge.www.signed.test.").allServe(List.of("digest-1")))
                .isTrue();

        TxtAnswers stale = servers.txtOnEveryAuthoritativeServer("_acme-challenge.www.stale.test.");
        assertThat(stale.allServe(List.of("digest-1"))).isFalse();
        assertThat(stale.servers()).singleElement().satisfies(s ->
                assertThat(s.problem()).contains("DNSSEC").contains("expired on 2020-02-01T00:00:00Z"));
    }

    @Test
    void aCnameAtTheNameIsNotTheTxtRecord() {
        TxtAnswers answers = servers.txtOnEveryAuthoritativeServer("_acme-challenge.alias.solo.test.");

        assertThat(answers.servers()).singleElement().satisfies(s ->
                assertThat(s.problem()).contains("CNAME to elsewhere.solo.test."));
        assertThat(answers.allServe(List.of())).isFalse();
    }

    @Test
    void aNameWithoutZoneHasNoServersToAsk() {
        TxtAnswers answers = servers.txtOnEveryAuthoritativeServer("_acme-challenge.www.ghost.test.");

        assertThat(answers.servers()).isEmpty();
        assertThat(answers.problem()).contains("no zone holds").contains("test.");
        assertThat(answers.allServe(List.of())).isFalse();
        assertThat(answers.describe()).contains("_acme-challenge.www.ghost.test.");

        assertThat(servers.txtOnEveryAuthoritativeServer("bad..name").problem()).isEqualTo("not a valid DNS name");
    }
}
