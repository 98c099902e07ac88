package io.certflow.verification.dns.lookup;

import io.certflow.verification.dns.server.DelegationZoneServer;
import io.certflow.verification.dns.server.DnsServerSettings;
import io.certflow.verification.testing.BindServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The "Verify" lookup against a real BIND that holds a customer zone with every case a customer
 * can get wrong, and BIND forwarding the delegation zone to certflow's own server.
 */
class DnsDelegationCheckerIT {

    private static final String LABEL = "mzxw6ytboimzxw6ytboimzxw6ytboimz";
    private static final String TARGET = LABEL + ".acme.certflow.test.";

    @TempDir
    static Path dir;
    static BindServer bind;
    static DelegationZoneServer zoneServer;
    static DnsDelegationChecker checker;

    @BeforeAll
    static void startBind() throws IOException {
        assumeTrue(BindServer.available(), "BIND (named) is not installed");
        zoneServer = new DelegationZoneServer(DnsServerSettings.of("acme.certflow.test.", "127.0.0.1", 0),
                name -> Map.of(TARGET, List.of("challenge-digest")).getOrDefault(name, List.of()), 1);
        zoneServer.start();
        StringBuilder longChain = new StringBuilder("_acme-challenge.long CNAME c1\n");
        for (int i = 1; i < 12; i++) {
            longChain.append("c").append(i).append(" CNAME c").append(i + 1).append('\n');
        }
        longChain.append("c12 CNAME ").append(TARGET).append('\n');
        bind = BindServer.builder(dir.resolve("bind"))
                .primaryZone("example.test",
                        "_acme-challenge.good CNAME " + TARGET,
                        "_acme-challenge.upper CNAME " + TARGET.toUpperCase(),
                        "_acme-challenge.wrong CNAME somewhere.else.test.",
                        "_acme-challenge.other-label CNAME aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.acme.certflow.test.",
                        "_acme-challenge.loop CNAME loop-b",
                        "loop-b CNAME _acme-challenge.loop",
                        "_acme-challenge.self CNAME _acme-challenge.self",
                        "_acme-challenge.txt TXT \"hello\"",
                        "_acme-challenge.addr A 192.0.2.1",
                        "x._acme-challenge.empty TXT \"below\"",
                        "_acme-challenge.indirect CNAME hop1",
                        "hop1 CNAME " + TARGET,
                        "_acme-challenge.dangling CNAME www.broken.test.",
                        longChain.toString())
                .brokenZone("broken.test")
                .forwardZone("acme.certflow.test", zoneServer.port())
                .start();
        checker = new DnsDelegationChecker(ResolverSettings.parse(bind.hostPort()));
    }

    @AfterAll
    static void stopBind() {
        if (bind != null) {
            bind.close();
        }
        if (zoneServer != null) {
            zoneServer.stop();
        }
    }

    @Test
    void rightCnameIsVerified() {
        DelegationDiagnosis d = checker.check("good.example.test", TARGET);
        assertThat(d.result()).isEqualTo(DelegationResult.VERIFIED);
        assertThat(d.verified()).isTrue();
        assertThat(d.expected()).isEqualTo(TARGET);
        assertThat(d.found()).containsExactly(TARGET);
        assertThat(d.detail()).contains("_acme-challenge.good.example.test.").contains(TARGET);
        assertThat(checker.check("upper.example.test", TARGET.toUpperCase()).result()).isEqualTo(DelegationResult.VERIFIED);
    }

    @Test
    void chainThroughTheCustomersOwnNameIsVerified() {
        DelegationDiagnosis d = checker.check("indirect.example.test", TARGET);
        assertThat(d.result()).isEqualTo(DelegationResult.VERIFIED);
        assertThat(d.found()).containsExactly("hop1.example.test.", TARGET);
    }

    @Test
    void wrongTargetSaysWhatWasFound() {
        DelegationDiagnosis d = checker.check("wrong.example.test", TARGET);
        assertThat(d.result()).isEqualTo(DelegationResult.WRONG_TARGET);
        assertThat(d.verified()).isFalse();
        assertThat(d.found()).containsExactly("somewhere.else.test.");
        assertThat(d.detail()).contains("somewhere.else.test.").contains(TARGET);

        // another account's label in the same zone is just as wrong
        assertThat(checker.check("other-label.example.test", TARGET).result()).isEqualTo(DelegationResult.WRONG_TARGET);
    }

    @Test
    void loopsAreDetected() {
        DelegationDiagnosis d = checker.check("loop.example.test", TARGET);
        assertThat(d.result()).isEqualTo(DelegationResult.CNAME_LOOP);
        assertThat(d.found()).containsExactly("loop-b.example.test.", "_acme-challenge.loop.example.test.");
        assertThat(d.detail()).contains("loops");
        assertThat(checker.check("self.example.test", TARGET).result()).isEqualTo(DelegationResult.CNAME_LOOP);
    }

    @Test
    void overlongChainsStop() {
        DelegationDiagnosis d = checker.check("long.example.test", TARGET);
        assertThat(d.result()).isEqualTo(DelegationResult.CHAIN_TOO_LONG);
        assertThat(d.found()).hasSize(8);
    }

    @Test
    void otherRecordTypesAreNotACname() {
        DelegationDiagnosis txt = checker.check("txt.example.test", TARGET);
        assertThat(txt.result()).isEqualTo(DelegationResult.NOT_A_CNAME);
        assertThat(txt.found()).containsExactly("TXT \"hello\"");
        assertThat(txt.detail()).contains("TXT");

        DelegationDiagnosis a = checker.check("addr.example.test", TARGET);
        assertThat(a.result()).isEqualTo(DelegationResult.NOT_A_CNAME);
        assertThat(a.found()).containsExactly("A 192.0.2.1");
    }

    @Test
    void missingNameIsNxdomain() {
        DelegationDiagnosis d = checker.check("missing.example.test", TARGET);
        assertThat(d.result()).isEqualTo(DelegationResult.NXDOMAIN);
        assertThat(d.found()).isEmpty();
        assertThat(d.detail()).contains("does not exist").contains(TARGET);
    }

    @Test
    void existingNameWithoutRecordsIsNoRecord() {
        DelegationDiagnosis d = checker.check("empty.example.test", TARGET);
        assertThat(d.result()).isEqualTo(DelegationResult.NO_RECORD);
        assertThat(d.found()).isEmpty();
    }

    @Test
    void servfailIsLookupFailed() {
        DelegationDiagnosis d = checker.check("www.broken.test", TARGET);
        assertThat(d.result()).isEqualTo(DelegationResult.LOOKUP_FAILED);
        assertThat(d.detail()).contains("SERVFAIL");

        DelegationDiagnosis dangling = checker.check("dangling.example.test", TARGET);
        assertThat(dangling.result()).isEqualTo(DelegationResult.LOOKUP_FAILED);
        assertThat(dangling.found()).containsExactly("www.broken.test.");
    }

    @Test
    void silentResolverIsLookupFailedNotAnException() throws IOException {
        int silent = BindServer.freePort();
        DnsDelegationChecker nobody = new DnsDelegationChecker(
                ResolverSettings.parse("127.0.0.1:" + silent).withTimeout(Duration.ofMillis(300), 1));
        DelegationDiagnosis d = nobody.check("good.example.test", TARGET);
        assertThat(d.result()).isEqualTo(DelegationResult.LOOKUP_FAILED);
        assertThat(d.detail()).contains("Try again");
    }

    @Test
    void bindForwardsTheDelegationZoneToCertflowsServer() throws IOException {
        Message viaBind = bind.resolver().send(
                Message.newQuery(Record.newRecord(Name.fromString("_acme-challenge.good.example.test."), Type.TXT, DClass.IN)));
        assertThat(viaBind.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(viaBind.getSection(Section.ANSWER)).filteredOn(r -> r instanceof TXTRecord)
                .singleElement().satisfies(r -> assertThat(((TXTRecord) r).getStrings()).containsExactly("challenge-digest"));
    }
}
