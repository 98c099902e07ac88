package io.certflow.verification.dns.server;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DelegationZoneResponderTest {

    private static final String LABEL = "mzxw6ytboimzxw6ytboimzxw6ytboimz";
    private final Map<String, List<String>> records = new HashMap<>();
    private final DelegationZoneResponder responder = new DelegationZoneResponder(
            DnsServerSettings.of("acme.certflow.test", "127.0.0.1", 8053), this::lookup, 1_700_000_000L);

    private List<String> lookup(String name) {
        return records.getOrDefault(name, List.of());
    }

    @Test
    void apexHasSoaAndNs() throws IOException {
        Message soa = ask("acme.certflow.test.", Type.SOA);
        assertThat(soa.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(soa.getHeader().getFlag(Flags.AA)).isTrue();
        SOARecord record = (SOARecord) soa.getSection(Section.ANSWER).get(0);
        assertThat(record.getHost()).hasToString("ns1.acme.certflow.test.");
        assertThat(record.getAdmin()).hasToString("hostmaster.acme.certflow.test.");
        assertThat(record.getMinimum()).isEqualTo(1);
        assertThat(record.getSerial()).isEqualTo(1_700_000_000L);

        Message ns = ask("acme.certflow.test.", Type.NS);
        assertThat(ns.getSection(Section.ANSWER)).singleElement()
                .satisfies(r -> assertThat(((NSRecord) r).getTarget()).hasToString("ns1.acme.certflow.test."));
        assertThat(ns.getSection(Section.ADDITIONAL)).singleElement()
                .satisfies(r -> assertThat(r.rdataToString()).isEqualTo("127.0.0.1"));

        Message a = ask("ns1.acme.certflow.test.", Type.A);
        assertThat(a.getSection(Section.ANSWER)).singleElement()
                .satisfies(r -> assertThat(r.rdataToString()).isEqualTo("127.0.0.1"));
    }

    @Test
    void servesSeveralTxtValuesOnOneNameWithAShortTtl() throws IOException {
        records.put(LABEL + ".acme.certflow.test.", List.of("value-one", "value-two"));
        Message m = ask(LABEL.toUpperCase() + ".ACME.certflow.test.", Type.TXT);
        assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(m.getSection(Section.ANSWER)).hasSize(2).allSatisfy(r -> {
            assertThat(r.getTTL()).isEqualTo(5);
            assertThat(r.getName().toString()).startsWith(LABEL.toUpperCase()); // owner spelled as asked
        });
        assertThat(m.getSection(Section.ANSWER)).map(r -> ((TXTRecord) r).getStrings().get(0))
                .containsExactly("value-one", "value-two");
    }

    @Test
    void unknownNameIsNxdomainWithSoaInAuthority() throws IOException {
        Message m = ask("nobody.acme.certflow.test.", Type.TXT);
        assertThat(m.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(m.getSection(Section.ANSWER)).isEmpty();
        assertThat(m.getSection(Section.AUTHORITY)).singleElement().satisfies(r -> {
            assertThat(r).isInstanceOf(SOARecord.class);
            assertThat(r.getTTL()).isEqualTo(1);
        });
        assertThat(ask("a.b.acme.certflow.test.", Type.TXT).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void otherTypesAreNodata() throws IOException {
        records.put(LABEL + ".acme.certflow.test.", List.of("v"));
        for (int type : new int[]{Type.A, Type.AAAA, Type.CNAME, Type.MX}) {
            Message m = ask(LABEL + ".acme.certflow.test.", type);
            assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
            assertThat(m.getSection(Section.ANSWER)).isEmpty();
            assertThat(m.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class);
        }
        Message apexTxt = ask("acme.certflow.test.", Type.TXT);
        assertThat(apexTxt.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(apexTxt.getSection(Section.ANSWER)).isEmpty();
    }

    @Test
    void namesOutsideTheZoneAreRefusedWithoutAuthority() throws IOException {
        Message m = ask("www.example.com.", Type.A);
        assertThat(m.getRcode()).isEqualTo(Rcode.REFUSED);
        assertThat(m.getHeader().getFlag(Flags.AA)).isFalse();
        assertThat(ask("certflow.test.", Type.SOA).getRcode()).isEqualTo(Rcode.REFUSED);
    }

    @Test
    void refusesZoneTransfersAndOtherClasses() throws IOException {
        assertThat(ask("acme.certflow.test.", Type.AXFR).getRcode()).isEqualTo(Rcode.REFUSED);
        Message chaos = Message.newQuery(Record.newRecord(Name.fromString("acme.certflow.test."), Type.TXT, DClass.CH));
        assertThat(new Message(responder.respond(chaos.toWire(), true)).getRcode()).isEqualTo(Rcode.REFUSED);
    }

    @Test
    void echoesEdnsAndRejectsUnknownEdnsVersions() throws IOException {
        Message query = query("acme.certflow.test.", Type.SOA);
        query.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
        Message m = new Message(responder.respond(query.toWire(), true));
        assertThat(m.getOPT()).isNotNull();
        assertThat(m.getOPT().getPayloadSize()).isEqualTo(DelegationZoneResponder.EDNS_UDP_SIZE);

        Message v1 = query("acme.certflow.test.", Type.SOA);
        v1.addRecord(new OPTRecord(4096, 0, 1), Section.ADDITIONAL);
        assertThat(new Message(responder.respond(v1.toWire(), true)).getRcode()).isEqualTo(Rcode.BADVERS);
    }

    @Test
    void truncatesOverUdpOnlyBeyondWhatTheClientTakes() throws IOException {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            many.add("x".repeat(43) + i);
        }
        records.put(LABEL + ".acme.certflow.test.", many);
        Message plain = query(LABEL + ".acme.certflow.test.", Type.TXT);
        Message udp = new Message(responder.respond(plain.toWire(), true));
        assertThat(udp.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(udp.getSection(Section.ANSWER)).isEmpty();

        Message edns = query(LABEL + ".acme.certflow.test.", Type.TXT);
        edns.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
        Message big = new Message(responder.respond(edns.toWire(), true));
        assertThat(big.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(big.getSection(Section.ANSWER)).hasSize(15);

        Message tcp = new Message(responder.respond(plain.toWire(), false));
        assertThat(tcp.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(tcp.getSection(Section.ANSWER)).hasSize(15);
    }

    @Test
    void dropsGarbageAndResponses() throws IOException {
        assertThat(responder.respond(new byte[]{1, 2, 3}, true)).isNull();
        assertThat(responder.respond(new byte[0], true)).isNull();
        Message response = query("acme.certflow.test.", Type.SOA);
        response.getHeader().setFlag(Flags.QR);
        assertThat(responder.respond(response.toWire(), true)).isNull();
    }

    @Test
    void otherOpcodesAreNotImplemented() throws IOException {
        Message notify = query("acme.certflow.test.", Type.SOA);
        notify.getHeader().setOpcode(Opcode.NOTIFY);
        assertThat(new Message(responder.respond(notify.toWire(), true)).getRcode()).isEqualTo(Rcode.NOTIMP);
    }

    @Test
    void aFailingStoreIsServfail() throws IOException {
        DelegationZoneResponder failing = new DelegationZoneResponder(
                DnsServerSettings.of("acme.certflow.test", "127.0.0.1", 8053),
                name -> {
                    throw new IllegalStateException("database down");
                }, 1);
        Message m = new Message(failing.respond(query(LABEL + ".acme.certflow.test.", Type.TXT).toWire(), true));
        assertThat(m.getRcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(m.getSection(Section.QUESTION)).hasSize(1);
    }

    @Test
    void longValuesAreSplitIntoCharacterStrings() throws IOException {
        records.put(LABEL + ".acme.certflow.test.", List.of("y".repeat(300)));
        TXTRecord txt = (TXTRecord) ask(LABEL + ".acme.certflow.test.", Type.TXT).getSection(Section.ANSWER).get(0);
        assertThat(txt.getStrings()).hasSize(2);
        assertThat(String.join("", txt.getStrings())).isEqualTo("y".repeat(300));
    }

    @Test
    void isAuthoritativeAndNeverOffersRecursion() throws IOException {
        records.put(LABEL + ".acme.certflow.test.", List.of("v"));
        for (String name : List.of(LABEL + ".acme.certflow.test.", "acme.certflow.test.", "nobody.acme.certflow.test.")) {
            Message m = ask(name, Type.TXT); // the query asks for recursion (RD)
            assertThat(m.getHeader().getFlag(Flags.AA)).as(name).isTrue();
            assertThat(m.getHeader().getFlag(Flags.RA)).as(name).isFalse();
            assertThat(m.getHeader().getFlag(Flags.RD)).as("RD is copied").isTrue();
        }
        Message outside = ask("www.example.com.", Type.TXT);
        assertThat(outside.getHeader().getFlag(Flags.RA)).isFalse();
        assertThat(outside.getSection(Section.ANSWER)).isEmpty();

        Message cd = query("acme.certflow.test.", Type.SOA);
        cd.getHeader().setFlag(Flags.CD);
        assertThat(new Message(responder.respond(cd.toWire(), true)).getHeader().getFlag(Flags.CD)).isTrue();
    }

    @Test
    void nodataCarriesTheSoaWithTheNegativeTtl() throws IOException {
        records.put(LABEL + ".acme.certflow.test.", List.of("v"));
        Message m = ask(LABEL + ".acme.certflow.test.", Type.AAAA);
        assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(m.getSection(Section.ANSWER)).isEmpty();
        assertThat(m.getSection(Section.AUTHORITY)).singleElement().satisfies(r -> {
            SOARecord soa = (SOARecord) r;
            assertThat(soa.getName()).hasToString("acme.certflow.test.");
            assertThat(soa.getTTL()).isEqualTo(1);
            assertThat(soa.getMinimum()).isEqualTo(1);
        });
    }

    @Test
    void anyGetsTheNamesOwnRecordsAndNothingMore() throws IOException {
        records.put(LABEL + ".acme.certflow.test.", List.of("one", "two"));
        Message txtName = ask(LABEL + ".acme.certflow.test.", Type.ANY);
        assertThat(txtName.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(txtName.getSection(Section.ANSWER)).hasSize(2).allSatisfy(r -> assertThat(r).isInstanceOf(TXTRecord.class));
        assertThat(txtName.getSection(Section.ADDITIONAL)).isEmpty();

        Message apex = ask("acme.certflow.test.", Type.ANY);
        assertThat(apex.getSection(Section.ANSWER)).extracting(Record::getType).containsExactly(Type.SOA, Type.NS);

        assertThat(ask("nobody.acme.certflow.test.", Type.ANY).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void aQueryMustHoldExactlyOneQuestion() throws IOException {
        Message none = new Message();
        none.getHeader().setOpcode(Opcode.QUERY);
        Message noAnswer = new Message(responder.respond(none.toWire(), true));
        assertThat(noAnswer.getRcode()).isEqualTo(Rcode.FORMERR);
        assertThat(noAnswer.getHeader().getID()).isEqualTo(none.getHeader().getID());

        Message two = query(LABEL + ".acme.certflow.test.", Type.TXT);
        two.addRecord(Record.newRecord(Name.fromString("acme.certflow.test."), Type.SOA, DClass.IN), Section.QUESTION);
        Message formErr = new Message(responder.respond(two.toWire(), true));
        assertThat(formErr.getRcode()).isEqualTo(Rcode.FORMERR);
        assertThat(formErr.getSection(Section.ANSWER)).isEmpty();
        assertThat(formErr.getHeader().getFlag(Flags.AA)).isFalse();
    }

    @Test
    void twoOptRecordsAreFormerr() throws IOException {
        Message query = query("acme.certflow.test.", Type.SOA);
        query.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
        query.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
        Message m = new Message(responder.respond(query.toWire(), true));
        assertThat(m.getRcode()).isEqualTo(Rcode.FORMERR);
        assertThat(m.getSection(Section.ANSWER)).isEmpty();
    }

    @Test
    void theClientsEdnsBufferSizeIsHonouredUpTo1232() throws IOException {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            values.add("z".repeat(88) + i); // 8 records of ~130 octets on the wire: an answer of about 900
        }
        records.put(LABEL + ".acme.certflow.test.", values);
        int full = new Message(responder.respond(query(LABEL + ".acme.certflow.test.", Type.TXT).toWire(), false))
                .toWire().length;
        assertThat(full).isBetween(800, 1100);

        for (int payload : new int[]{100, 512, full - 20, full + 20, 4096}) {
            Message query = query(LABEL + ".acme.certflow.test.", Type.TXT);
            query.addRecord(new OPTRecord(payload, 0, 0), Section.ADDITIONAL);
            byte[] wire = responder.respond(query.toWire(), true);
            Message m = new Message(wire);
            boolean fits = full + 11 <= Math.max(512, Math.min(1232, payload)); // + its own OPT record
            assertThat(m.getHeader().getFlag(Flags.TC)).as("payload %d", payload).isEqualTo(!fits);
            assertThat(m.getSection(Section.ANSWER)).as("payload %d", payload).hasSize(fits ? 8 : 0);
            assertThat(wire.length).isLessThanOrEqualTo(Math.max(512, Math.min(1232, payload)));
            assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
            assertThat(m.getOPT()).as("the truncated answer keeps EDNS").isNotNull();
            assertThat(m.getQuestion().getName()).hasToString(LABEL + ".acme.certflow.test.");
        }

        List<String> huge = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            huge.add("h".repeat(120) + i);
        }
        records.put(LABEL + ".acme.certflow.test.", huge);
        Message big = query(LABEL + ".acme.certflow.test.", Type.TXT);
        big.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
        assertThat(new Message(responder.respond(big.toWire(), true)).getHeader().getFlag(Flags.TC))
                .as("more than 1232 octets never go over UDP, whatever the client offers").isTrue();
    }

    private Message ask(String name, int type) throws IOException {
        return new Message(responder.respond(query(name, type).toWire(), true));
    }

    private static Message query(String name, int type) throws IOException {
        return Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    }
}
