package io.certflow.verification.dns.lookup;

import io.certflow.devstack.Binaries;
import io.certflow.verification.dns.lookup.LoopbackDns.Signing;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;

import static io.certflow.verification.dns.lookup.LoopbackDns.V4;
import static io.certflow.verification.dns.lookup.LoopbackDns.V6;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The "Verify" lookup on a DNS of several zones, each on its own authoritative BIND servers ({@link LoopbackDns}):
 * CNAME chains across zones, a domain whose zone does not exist, a zone that fails to load, two servers of one
 * zone that disagree, and zones signed with dnssec-signzone: validly, with expired signatures, and with a record
 * changed after signing.
 */
class DnsDelegationCheckerZonesIT {

    private static final String LABEL = "mzxw6ytboimzxw6ytboimzxw6ytboimz";
    private static final String TARGET = LABEL + ".acme.certflow.test.";

    @TempDir
    static Path dir;
    static LoopbackDns dns;
    static DnsDelegationChecker checker;

    @BeforeAll
    static void startDns() {
        assumeTrue(Binaries.isAvailable(Binaries.NAMED) && Binaries.isAvailable("dnssec-signzone"),
                "BIND (named, dnssec-signzone) is not installed");
        StringBuilder longChain = new StringBuilder("_acme-challenge.long CNAME l1.beta.test.\n");
        StringBuilder longChainBeta = new StringBuilder();
        for (int i = 1; i < 12; i++) { // l1 (beta) → l2 (alpha) → l3 (beta) … → l12 → TARGET
            (i % 2 == 1 ? longChainBeta : longChain).append("l").append(i).append(" CNAME l").append(i + 1)
                    .append(i % 2 == 1 ? ".alpha.test.\n" : ".beta.test.\n");
        }
        longChain.append("l12 CNAME ").append(TARGET).append('\n');
        dns = LoopbackDns.builder()
                .zone("alpha.test.", V4, """
                        _acme-challenge.cross CNAME hop.beta.test.
                        _acme-challenge.loop CNAME back.beta.test.
                        _acme-challenge.txt TXT "hello"
                        x._acme-challenge.empty TXT "below"
                        _acme-challenge.wrong CNAME www.beta.test.
                        _acme-challenge.dead CNAME x.ghost.test.
                        _acme-challenge.dangling CNAME x.broken.test.
                        _acme-challenge.sibling CNAME other.acme.certflow.test.
                        """ + longChain)
                .zone("beta.test.", V4, """
                        hop CNAME %s
                        back CNAME _acme-challenge.loop.alpha.test.
                        www A 192.0.2.1
                        """.formatted(TARGET) + longChainBeta)
                .zone("broken.test.", V4, "this line is not a record")
                .zone("pair.test.", V4, "_acme-challenge.www CNAME " + TARGET)
                .zone("pair.test.", V6, "")
                // were it asked, certflow's zone would lead on to the target: it must not be asked
                .zone("acme.certflow.test.", V4, "other CNAME " + TARGET)
                .signedZone("signed.test.", V4, "_acme-challenge.www CNAME hop.beta.test.", Signing.valid())
                .signedZone("expired.test.", V4, "_acme-challenge.www CNAME " + TARGET, Signing.expiredSignatures())
                .signedZone("altered.test.", V4, "_acme-challenge.www CNAME someone-else.acme.certflow.test.",
                        Signing.changedAfterSigning("someone-else.acme.certflow.test.", TARGET))
                .start(dir);
        checker = new DnsDelegationChecker(new AuthoritativeServers(dns.settings(), Clock.systemUTC()),
                "acme.certflow.test.", 8);
    }

    @AfterAll
    static void stopDns() {
        if (dns != null) {
            dns.close();
        }
    }

    @Test
    void aChainAcrossZonesIsFollowedOnEachZonesServers() {
        DelegationDiagnosis d = checker.check("cross.alpha.test", TARGET);

        assertThat(d.result()).isEqualTo(DelegationResult.VERIFIED);
        assertThat(d.found()).containsExactly("hop.beta.test.", TARGET);
        assertThat(d.detail()).contains("through _acme-challenge.cross.alpha.test. → hop.beta.test. → " + TARGET);
    }

    @Test
    void aLoopAcrossZonesIsCnameLoop() {
        DelegationDiagnosis d = checker.check("loop.alpha.test", TARGET);

        assertThat(d.result()).isEqualTo(DelegationResult.CNAME_LOOP);
        assertThat(d.found()).containsExactly("back.beta.test.", "_acme-challenge.loop.alpha.test.");
    }

    @Test
    void aChainLongerThanTheLimitStops() {
        DelegationDiagnosis d = checker.check("long.alpha.test", TARGET);

        assertThat(d.result()).isEqualTo(DelegationResult.CHAIN_TOO_LONG);
        assertThat(d.found()).hasSize(8).startsWith("l1.beta.test.", "l2.alpha.test.");
    }

    @Test
    void aTxtWhereTheCnameBelongsIsNotACname() {
        DelegationDiagnosis d = checker.check("txt.alpha.test", TARGET);

        assertThat(d.result()).isEqualTo(DelegationResult.NOT_A_CNAME);
        assertThat(d.found()).containsExactly("TXT \"hello\"");
    }

    @Test
    void aMissingNameIsNxdomainAndAnEmptyOneNoRecord() {
        DelegationDiagnosis missing = checker.check("missing.alpha.test", TARGET);
        assertThat(missing.result()).isEqualTo(DelegationResult.NXDOMAIN);
        assertThat(missing.detail()).contains("does not exist (NXDOMAIN) in the zone alpha.test.").contains(TARGET);

        assertThat(checker.check("empty.alpha.test", TARGET).result()).isEqualTo(DelegationResult.NO_RECORD);
    }

    @Test
    void aDomainWithoutZoneIsZoneNotFoundNotNxdomain() {
        DelegationDiagnosis d = checker.check("ghost.test", TARGET);
        assertThat(d.result()).isEqualTo(DelegationResult.ZONE_NOT_FOUND);
        assertThat(d.detail()).startsWith("ghost.test does not exist in DNS")
                .contains("top-level domain test.").contains("Register the domain");
        assertThat(d.found()).isEmpty();

        DelegationDiagnosis noTld = checker.check("www.example.invalid", TARGET);
        assertThat(noTld.result()).isEqualTo(DelegationResult.ZONE_NOT_FOUND);
        assertThat(noTld.detail()).contains("the root");
    }

    @Test
    void chainsEndingOutsideTheTargetAreWrongTarget() {
        DelegationDiagnosis wrong = checker.check("wrong.alpha.test", TARGET);
        assertThat(wrong.result()).isEqualTo(DelegationResult.WRONG_TARGET);
        assertThat(wrong.found()).containsExactly("www.beta.test.");

        DelegationDiagnosis dead = checker.check("dead.alpha.test", TARGET);
        assertThat(dead.result()).isEqualTo(DelegationResult.WRONG_TARGET);
        assertThat(dead.detail()).contains("x.ghost.test., which does not exist");

        DelegationDiagnosis sibling = checker.check("sibling.alpha.test", TARGET);
        assertThat(sibling.result()).isEqualTo(DelegationResult.WRONG_TARGET);
        assertThat(sibling.found()).containsExactly("other.acme.certflow.test.");
        assertThat(sibling.detail()).contains("another name in certflow's delegation zone");
    }

    @Test
    void aZoneItsServersCannotServeIsLookupFailed() {
        DelegationDiagnosis d = checker.check("www.broken.test", TARGET);
        assertThat(d.result()).isEqualTo(DelegationResult.LOOKUP_FAILED);
        assertThat(d.detail()).contains("SERVFAIL").contains("Try again");

        DelegationDiagnosis dangling = checker.check("dangling.alpha.test", TARGET);
        assertThat(dangling.result()).isEqualTo(DelegationResult.LOOKUP_FAILED);
        assertThat(dangling.found()).containsExactly("x.broken.test.");
    }

    @Test
    void serversOfOneZoneThatDisagreeAreNamedWithWhatEachSaid() {
        DelegationDiagnosis d = checker.check("www.pair.test", TARGET);

        assertThat(d.result()).isEqualTo(DelegationResult.SERVERS_DISAGREE);
        assertThat(d.verified()).isFalse();
        assertThat(d.detail()).contains("ns1.pair.test. (127.0.0.1): CNAME " + TARGET)
                .contains("ns2.pair.test. (::1): NXDOMAIN");
    }

    @Test
    void aSignedZoneWhoseSignaturesHoldIsVerified() {
        DelegationDiagnosis d = checker.check("www.signed.test", TARGET);

        assertThat(d.result()).isEqualTo(DelegationResult.VERIFIED);
        assertThat(d.found()).containsExactly("hop.beta.test.", TARGET);
    }

    @Test
    void expiredSignaturesAreDnssecInvalid() {
        DelegationDiagnosis d = checker.check("www.expired.test", TARGET);

        assertThat(d.result()).isEqualTo(DelegationResult.DNSSEC_INVALID);
        assertThat(d.detail()).contains("expired on 2020-02-01T00:00:00Z").contains("Re-sign expired.test.");
    }

    @Test
    void aRecordChangedAfterSigningIsDnssecInvalidEvenWhenItPointsRight() {
        DelegationDiagnosis d = checker.check("www.altered.test", TARGET);

        assertThat(d.result()).isEqualTo(DelegationResult.DNSSEC_INVALID);
        assertThat(d.found()).containsExactly(TARGET);
        assertThat(d.detail()).contains("does not match its signature");
    }
}
