package io.certflow.verification.dns.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The server on real loopback sockets, queried with dnsjava's resolver over UDP and TCP. */
class DelegationZoneServerTest {

    private static final String NAME = "mzxw6ytboimzxw6ytboimzxw6ytboimz.acme.certflow.test.";
    private final Map<String, List<String>> records = new ConcurrentHashMap<>();
    private DelegationZoneServer server;

    @BeforeEach
    void start() {
        server = new DelegationZoneServer(DnsServerSettings.of("acme.certflow.test.", "127.0.0.1", 0),
                name -> records.getOrDefault(name, List.of()), 42);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void answersOverUdpAndTcp() throws IOException {
        records.put(NAME, List.of("first", "second"));
        for (boolean tcp : new boolean[]{false, true}) {
            SimpleResolver resolver = resolver();
            resolver.setTCP(tcp);
            Message txt = resolver.send(query(NAME, Type.TXT));
            assertThat(txt.getRcode()).isEqualTo(Rcode.NOERROR);
            assertThat(txt.getHeader().getFlag(Flags.AA)).isTrue();
            assertThat(txt.getSection(Section.ANSWER)).map(r -> ((TXTRecord) r).getStrings().get(0))
                    .containsExactlyInAnyOrder("first", "second");

            Message soa = resolver.send(query("acme.certflow.test.", Type.SOA));
            assertThat(soa.getSection(Section.ANSWER)).singleElement().isInstanceOf(SOARecord.class);

            Message missing = resolver.send(query("other.acme.certflow.test.", Type.TXT));
            assertThat(missing.getRcode()).isEqualTo(Rcode.NXDOMAIN);
            assertThat(missing.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class);

            assertThat(resolver.send(query("example.org.", Type.A)).getRcode()).isEqualTo(Rcode.REFUSED);
        }
    }

    @Test
    void readsTheStoreOnEveryQuery() throws IOException {
        SimpleResolver resolver = resolver();
        assertThat(resolver.send(query(NAME, Type.TXT)).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        records.put(NAME, List.of("published"));
        assertThat(resolver.send(query(NAME, Type.TXT)).getSection(Section.ANSWER)).hasSize(1);
        records.remove(NAME);
        assertThat(resolver.send(query(NAME, Type.TXT)).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void setsTcOverUdpWhenTooLargeAndTheResolverRetriesOverTcp() throws IOException {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            values.add("v".repeat(43) + i);
        }
        records.put(NAME, values);
        SimpleResolver udpOnly = resolver();
        udpOnly.setIgnoreTruncation(true);
        Message truncated = udpOnly.send(query(NAME, Type.TXT));
        assertThat(truncated.getHeader().getFlag(Flags.TC)).isTrue();

        Message full = resolver().send(query(NAME, Type.TXT)); // retries over TCP after TC
        assertThat(full.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(full.getSection(Section.ANSWER)).hasSize(40);
    }

    @Test
    void survivesMalformedPacketsOnBothTransports() throws Exception {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port());
        try (DatagramSocket socket = new DatagramSocket()) {
            for (byte[] junk : new byte[][]{{}, {0}, {1, 2, 3, 4, 5}, new byte[12], "garbage garbage garbage".getBytes()}) {
                socket.send(new DatagramPacket(junk, junk.length, address));
            }
        }
        try (Socket tcp = new Socket(address.getAddress(), address.getPort())) {
            DataOutputStream out = new DataOutputStream(tcp.getOutputStream());
            out.writeShort(5);
            out.write(new byte[]{9, 9, 9, 9, 9});
            out.flush();
            tcp.setSoTimeout(2000);
            assertThat(tcp.getInputStream().read()).isEqualTo(-1); // closed, no answer
        }
        try (Socket tcp = new Socket(address.getAddress(), address.getPort())) {
            tcp.getOutputStream().write(new byte[]{0}); // half a length prefix, then gone
        }
        records.put(NAME, List.of("still here"));
        for (boolean tcp : new boolean[]{false, true}) {
            SimpleResolver resolver = resolver();
            resolver.setTCP(tcp);
            assertThat(resolver.send(query(NAME, Type.TXT)).getSection(Section.ANSWER)).hasSize(1);
        }
    }

    @Test
    void answersSeveralQueriesOnOneTcpConnection() throws IOException {
        records.put(NAME, List.of("a"));
        try (Socket tcp = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            tcp.setSoTimeout(3000);
            DataOutputStream out = new DataOutputStream(tcp.getOutputStream());
            DataInputStream in = new DataInputStream(tcp.getInputStream());
            for (int i = 0; i < 3; i++) {
                byte[] q = query(NAME, Type.TXT).toWire();
                out.writeShort(q.length);
                out.write(q);
                out.flush();
                byte[] answer = new byte[in.readUnsignedShort()];
                in.readFully(answer);
                assertThat(new Message(answer).getSection(Section.ANSWER)).hasSize(1);
            }
        }
    }

    @Test
    void aClientTricklingBytesIsClosedLikeAnIdleOneAndFreesItsSlot() throws Exception {
        server.stop();
        DnsServerSettings d = DnsServerSettings.of("acme.certflow.test.", "127.0.0.1", 0);
        server = new DelegationZoneServer(new DnsServerSettings(d.zone(), d.address(), 0, null, null, null, null, null,
                1, 1, Duration.ofMillis(600), 0, 0), name -> records.getOrDefault(name, List.of()), 42);
        server.start();
        byte[] q = query(NAME, Type.TXT).toWire();
        byte[] framed = new byte[q.length + 2];
        framed[0] = (byte) (q.length >>> 8);
        framed[1] = (byte) q.length;
        System.arraycopy(q, 0, framed, 2, q.length);
        try (Socket slow = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            slow.setSoTimeout(5000);
            boolean closed = false;
            for (int i = 0; i < framed.length - 1 && !closed; i++) {
                try {
                    slow.getOutputStream().write(framed[i]); // one byte every 150 ms: never idle for 600 ms
                    slow.getOutputStream().flush();
                    Thread.sleep(150);
                } catch (IOException e) {
                    closed = true; // the server closed it: writing fails
                }
                if (!closed && slow.getInputStream().available() == 0 && i > 10) {
                    slow.setSoTimeout(1);
                    try {
                        closed = slow.getInputStream().read() < 0;
                    } catch (java.net.SocketTimeoutException still) {
                        // still open
                    } catch (IOException reset) {
                        closed = true;
                    }
                    slow.setSoTimeout(5000);
                }
            }
            assertThat(closed).as("the trickling connection was closed before its message was whole").isTrue();
        }
        records.put(NAME, List.of("after"));
        SimpleResolver overTcp = new SimpleResolver(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
        overTcp.setTCP(true);
        overTcp.setTimeout(Duration.ofSeconds(3));
        assertThat(overTcp.send(query(NAME, Type.TXT)).getSection(Section.ANSWER)).as("the only TCP slot is free again")
                .hasSize(1);
    }

    @Test
    void tcpFramingSurvivesPipeliningAndSplitWrites() throws Exception {
        records.put(NAME, List.of("framed"));
        java.io.ByteArrayOutputStream pipelined = new java.io.ByteArrayOutputStream();
        DataOutputStream frames = new DataOutputStream(pipelined);
        List<Integer> ids = new ArrayList<>();
        for (String name : List.of(NAME, "acme.certflow.test.", "other.acme.certflow.test.")) {
            Message q = query(name, name.equals("acme.certflow.test.") ? Type.SOA : Type.TXT);
            ids.add(q.getHeader().getID());
            byte[] wire = q.toWire();
            frames.writeShort(wire.length);
            frames.write(wire);
        }
        byte[] all = pipelined.toByteArray();
        try (Socket tcp = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            tcp.setSoTimeout(3000);
            tcp.setTcpNoDelay(true);
            var out = tcp.getOutputStream();
            out.write(all, 0, 1); // half a length prefix
            out.flush();
            Thread.sleep(50);
            out.write(all, 1, 10); // the rest of it and part of the message
            out.flush();
            Thread.sleep(50);
            out.write(all, 11, all.length - 11); // the rest, and two more queries behind it
            out.flush();

            DataInputStream in = new DataInputStream(tcp.getInputStream());
            List<Message> answers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                byte[] answer = new byte[in.readUnsignedShort()];
                in.readFully(answer);
                answers.add(new Message(answer));
            }
            assertThat(answers).extracting(m -> m.getHeader().getID()).containsExactlyElementsOf(ids);
            assertThat(answers.get(0).getSection(Section.ANSWER)).hasSize(1);
            assertThat(answers.get(1).getSection(Section.ANSWER)).singleElement().isInstanceOf(SOARecord.class);
            assertThat(answers.get(2).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        }
    }

    @Test
    void aTcpAnswerLargerThanUdpAllowsIsSentWhole() throws IOException {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            values.add("w".repeat(100) + i); // about 40 KB
        }
        records.put(NAME, values);
        SimpleResolver tcp = resolver();
        tcp.setTCP(true);
        Message answer = tcp.send(query(NAME, Type.TXT));
        assertThat(answer.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(answer.getSection(Section.ANSWER)).hasSize(300);
    }

    @Test
    void stopsAndReleasesThePort() throws IOException {
        int port = server.port();
        server.stop();
        assertThat(server.isRunning()).isFalse();
        try (DatagramSocket again = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("certflow-dns-udp")
                && t.isAlive() && t.getState() != Thread.State.TERMINATED);
    }

    private SimpleResolver resolver() {
        SimpleResolver r = new SimpleResolver(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
        r.setTimeout(Duration.ofSeconds(2));
        return r;
    }

    private static Message query(String name, int type) throws IOException {
        return Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    }

    @Test
    void limitsUdpAnswersPerSourceButNeverTcp() throws IOException {
        server.stop();
        server = new DelegationZoneServer(DnsServerSettings.of("acme.certflow.test.", "127.0.0.1", 0).withRateLimit(5, 2),
                name -> records.getOrDefault(name, List.of()), 42);
        server.start();
        records.put(NAME, List.of("value"));
        byte[] query = query(NAME, Type.TXT).toWire();
        int full = 0;
        int truncated = 0;
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(300);
            for (int i = 0; i < 20; i++) {
                socket.send(new DatagramPacket(query, query.length, InetAddress.getLoopbackAddress(), server.port()));
            }
            byte[] buffer = new byte[4096];
            while (true) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(packet);
                } catch (java.net.SocketTimeoutException done) {
                    break;
                }
                Message answer = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                if (answer.getHeader().getFlag(Flags.TC)) {
                    assertThat(answer.getSection(Section.ANSWER)).isEmpty();
                    truncated++;
                } else {
                    assertThat(answer.getSection(Section.ANSWER)).hasSize(1);
                    full++;
                }
            }
        }

        assertThat(full).as("answers within the rate (5/s, burst 5; refills while sending on a busy machine)")
                .isBetween(5, 10);
        assertThat(truncated).as("every second limited query slips a truncated answer").isBetween(3, 8);
        assertThat(full + truncated).as("the other limited queries are dropped").isLessThan(20);
        SimpleResolver tcp = resolver();
        tcp.setTCP(true);
        for (int i = 0; i < 10; i++) {
            assertThat(tcp.send(query(NAME, Type.TXT)).getSection(Section.ANSWER)).hasSize(1);
        }
    }
}
