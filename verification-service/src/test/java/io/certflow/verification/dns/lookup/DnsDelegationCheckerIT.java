package io.certflow.verification.dns.lookup;

import io.certflow.devstack.Binaries;
import io.certflow.devstack.BindProcess;
import io.certflow.devstack.Component;
import io.certflow.devstack.Ports;
import io.certflow.devstack.StackConfig;
import io.certflow.verification.dns.server.DelegationZoneServer;
import io.certflow.verification.dns.server.DnsServerSettings;
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
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The "Verify" lookup as devstack wires it: devstack's real BIND is the resolver and, on the same port,
 * the authoritative server of the customer zone {@code demo.certflow.test}, which gets (by RFC 2136) every
 * case a customer can get wrong in one zone; BIND forwards the delegation zone to certflow's own server.
 * Chains across zones, failing servers and DNSSEC: {@link DnsDelegationCheckerZonesIT}.
 */
class DnsDelegationCheckerIT {

    private static final String ZONE = "demo.certflow.test";
    private static final String LABEL = "mzxw6ytboimzxw6ytboimzxw6ytboimz";
    private static final String TARGET = LABEL + ".acme.certflow.test.";

    @TempDir
    static Path dir;
    static BindProcess bind;
    static DelegationZoneServer zoneServer;
    static DnsDelegationChecker checker;

    @BeforeAll
    static void startBind() {
        assumeTrue(Binaries.isAvailable(Binaries.NAMED), "BIND (named) is not installed");
        StackConfig config = StackConfig.forTests(dir, EnumSet.of(Component.BIND));
        zoneServer = new DelegationZoneServer(
                DnsServerSettings.of("acme.certflow.test.", "127.0.0.1", config.ports().certflowDns()),
                name -> name.equals(TARGET) ? List.of("challenge-digest") : List.of(), 1);
        zoneServer.start();
        bind = new BindProcess(config);
        bind.start();
        bind.addCname("_acme-challenge.good", TARGET);
        bind.addCname("_acme-challenge.upper", TARGET.toUpperCase());
        bind.addCname("_acme-challenge.wrong", "somewhere.else.test.");
        bind.addCname("_acme-challenge.other-label", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.acme.certflow.test.");
        bind.addCname("_acme-challenge.loop", at("loop-b"));
        bind.addCname("loop-b", at("_acme-challenge.loop"));
        bind.addCname("_acme-challenge.self", at("_acme-challenge.self"));
        bind.addTxt("_acme-challenge.txt", "hello");
        // BIND's check-names refuses an A record owned by an _underscore name; a wildcard answers for it alike
        bind.addRecord("*.addr", Type.A, "192.0.2.1");
        bind.addTxt("x._acme-challenge.empty", "below");
        bind.addCname("_acme-challenge.indirect", at("hop1"));
        bind.addCname("hop1", TARGET);
        bind.addCname("_acme-challenge.long", at("c1"));
        for (int i = 1; i < 12; i++) {
            bind.addCname("c" + i, at("c" + (i + 1)));
        }
        bind.addCname("c12", TARGET);
        checker = checker(ResolverSettings.parse(bind.address()).withAuthoritativePort(bind.port()));
    }

    @AfterAll
    static void stopBind() {
        if (bind != null) {
            bind.stop();
        }
        if (zoneServer != null) {
            zoneServer.stop();
        }
    }

    /** Asks BIND as resolver and, since everything runs on loopback, as the zone's server on the same port. */
    private static DnsDelegationChecker checker(ResolverSettings settings) {
        return new DnsDelegationChecker(new AuthoritativeServers(settings, Clock.systemUTC()), "acme.certflow.test.", 8);
    }

    /** The absolute name of {@code relative} in the customer zone. */
    private static String at(String relative) {
        return relative + "." + ZONE + ".";
    }

    @Test
    void rightCnameIsVerified() {
        DelegationDiagnosis d = checker.check("good.demo.certflow.test", TARGET);
        assertThat(d.result()).isEqualTo(DelegationResult.VERIFIED);
        assertThat(d.verified()).isTrue();
        assertThat(d.expected()).isEqualTo(TARGET);
        assertThat(d.found()).containsExactly(TARGET);
        assertThat(d.detail()).contains("_acme-challenge.good.demo.certflow.test.").contains(TARGET);
        assertThat(checker.check("upper.demo.certflow.test", TARGET.toUpperCase()).result()).isEqualTo(DelegationResult.VERIFIED);
    }

    @Test
    void chainThroughTheCustomersOwnNameIsVerified() {
        DelegationDiagnosis d = checker.check("indirect.demo.certflow.test", TARGET);
        assertThat(d.result()).isEqualTo(DelegationResult.VERIFIED);
        assertThat(d.found()).containsExactly(at("hop1"), TARGET);
    }

    @Test
    void wrongTargetSaysWhatWasFound() {
        DelegationDiagnosis d = checker.check("wrong.demo.certflow.test", TARGET);
        assertThat(d.result()).isEqualTo(DelegationResult.WRONG_TARGET);
        assertThat(d.verified()).isFalse();
        assertThat(d.found()).containsExactly("somewhere.else.test.");
        assertThat(d.detail()).contains("somewhere.else.test.").contains(TARGET);

        // another account's label in the same zone is just as wrong
        assertThat(checker.check("other-label.demo.certflow.test", TARGET).result()).isEqualTo(DelegationResult.WRONG_TARGET);
    }

    @Test
    void loopsAreDetected() {
        DelegationDiagnosis d = checker.check("loop.demo.certflow.test", TARGET);
        assertThat(d.result()).isEqualTo(DelegationResult.CNAME_LOOP);
        assertThat(d.found()).containsExactly(at("loop-b"), at("_acme-challenge.loop"));
        assertThat(d.detail()).contains("loops");
        assertThat(checker.check("self.demo.certflow.test", TARGET).result()).isEqualTo(DelegationResult.CNAME_LOOP);
    }

    @Test
    void overlongChainsStop() {
        DelegationDiagnosis d = checker.check("long.demo.certflow.test", TARGET);
        assertThat(d.result()).isEqualTo(DelegationResult.CHAIN_TOO_LONG);
        assertThat(d.found()).hasSize(8);
    }

    @Test
    void otherRecordTypesAreNotACname() {
        DelegationDiagnosis txt = checker.check("txt.demo.certflow.test", TARGET);
        assertThat(txt.result()).isEqualTo(DelegationResult.NOT_A_CNAME);
        assertThat(txt.found()).containsExactly("TXT \"hello\"");
        assertThat(txt.detail()).contains("TXT");

        DelegationDiagnosis a = checker.check("addr.demo.certflow.test", TARGET);
        assertThat(a.result()).isEqualTo(DelegationResult.NOT_A_CNAME);
        assertThat(a.found()).containsExactly("A 192.0.2.1");
    }

    @Test
    void missingNameIsNxdomain() {
        DelegationDiagnosis d = checker.check("missing.demo.certflow.test", TARGET);
        assertThat(d.result()).isEqualTo(DelegationResult.NXDOMAIN);
        assertThat(d.found()).isEmpty();
        assertThat(d.detail()).contains("does not exist").contains(TARGET);
    }

    @Test
    void existingNameWithoutRecordsIsNoRecord() {
        DelegationDiagnosis d = checker.check("empty.demo.certflow.test", TARGET);
        assertThat(d.result()).isEqualTo(DelegationResult.NO_RECORD);
        assertThat(d.found()).isEmpty();
    }

    @Test
    void aDomainInsideTheDelegationZoneCannotBeDelegated() {
        DelegationDiagnosis d = checker.check("acme.certflow.test", TARGET);
        assertThat(d.result()).isEqualTo(DelegationResult.NO_RECORD);
        assertThat(d.detail()).contains("certflow's own delegation zone");
    }

    @Test
    void silentResolverIsLookupFailedNotAnException() {
        int silent = Ports.free().certflowDns();
        DnsDelegationChecker nobody = checker(
                ResolverSettings.parse("127.0.0.1:" + silent).withTimeout(Duration.ofMillis(300), 1));
        DelegationDiagnosis d = nobody.check("good.demo.certflow.test", TARGET);
        assertThat(d.result()).isEqualTo(DelegationResult.LOOKUP_FAILED);
        assertThat(d.detail()).contains("Try again");
    }

    @Test
    void bindForwardsTheDelegationZoneToCertflowsServer() throws IOException {
        SimpleResolver viaBindResolver = new SimpleResolver(new InetSocketAddress("127.0.0.1", bind.port()));
        viaBindResolver.setTimeout(Duration.ofSeconds(3));
        Message viaBind = viaBindResolver.send(
                Message.newQuery(Record.newRecord(Name.fromString("_acme-challenge.good.demo.certflow.test."), Type.TXT, DClass.IN)));
        assertThat(viaBind.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(viaBind.getSection(Section.ANSWER)).filteredOn(r -> r instanceof TXTRecord)
                .singleElement().satisfies(r -> assertThat(((TXTRecord) r).getStrings()).containsExactly("challenge-digest"));
    }
}
