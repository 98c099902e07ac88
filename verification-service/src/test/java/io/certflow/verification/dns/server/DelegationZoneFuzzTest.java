package io.certflow.verification.dns.server;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * Random and mutated packets (bit flips, truncations, spliced bytes, random garbage) never make the
 * delegation zone's DNS server throw or stop: each is dropped or answered with a well-formed response
 * to the same query id, and the server answers a valid query afterwards. Seeded, so a failure repeats.
 */
class DelegationZoneFuzzTest {

    private static final long SEED = 20261127L;
    private static final String NAME = "mzxw6ytboimzxw6ytboimzxw6ytboimz.acme.certflow.test.";
    private static final Map<String, List<String>> RECORDS = Map.of(NAME, List.of("first", "second"));

    @Test
    void theResponderNeverThrowsAndAnswersOnlyWithWellFormedResponses() throws IOException {
        DelegationZoneResponder responder = new DelegationZoneResponder(
                DnsServerSettings.of("acme.certflow.test.", "127.0.0.1", 0), name -> RECORDS.getOrDefault(name, List.of()), 7);
        Random random = new Random(SEED);
        List<byte[]> seeds = validQueries();
        int answered = 0;

        for (int i = 0; i < 20_000; i++) {
            byte[] packet = i % 5 == 0 ? randomBytes(random) : mutate(seeds.get(random.nextInt(seeds.size())), random);
            for (boolean udp : new boolean[]{true, false}) {
                byte[][] answer = new byte[1][];
                assertThatCode(() -> answer[0] = responder.respond(packet, udp)).doesNotThrowAnyException();
                if (answer[0] != null) {
                    Message response = new Message(answer[0]);
                    assertThat(response.getHeader().getFlag(Flags.QR)).isTrue();
                    assertThat(response.getHeader().getID()).isEqualTo(((packet[0] & 0xff) << 8) | (packet[1] & 0xff));
                    if (udp) {
                        assertThat(answer[0].length).isLessThanOrEqualTo(65_535);
                    }
                    answered++;
                }
            }
        }
        assertThat(answered).as("mutations that still parse are answered").isPositive();
    }

    @Test
    void theServerKeepsAnsweringAfterAFloodOfGarbageOverUdp() throws IOException {
        try (DelegationZoneServer server = new DelegationZoneServer(
                DnsServerSettings.of("acme.certflow.test.", "127.0.0.1", 0), name -> RECORDS.getOrDefault(name, List.of()), 7);
             DatagramSocket socket = new DatagramSocket()) {
            server.start();
            Random random = new Random(SEED);
            List<byte[]> seeds = validQueries();
            InetAddress loopback = InetAddress.getLoopbackAddress();
            for (int i = 0; i < 2_000; i++) {
                byte[] packet = i % 2 == 0 ? randomBytes(random) : mutate(seeds.get(random.nextInt(seeds.size())), random);
                socket.send(new DatagramPacket(packet, packet.length, loopback, server.port()));
            }

            SimpleResolver resolver = new SimpleResolver(loopback);
            resolver.setPort(server.port());
            resolver.setTimeout(Duration.ofSeconds(3));
            Message answer = resolver.send(Message.newQuery(Record.newRecord(Name.fromString(NAME), Type.TXT, DClass.IN)));

            assertThat(server.isRunning()).isTrue();
            assertThat(answer.getRcode()).isEqualTo(Rcode.NOERROR);
            assertThat(answer.getSection(org.xbill.DNS.Section.ANSWER)).hasSize(2);
        }
    }

    @Test
    void theServerKeepsAnsweringAfterGarbageOverTcp() throws Exception {
        try (DelegationZoneServer server = new DelegationZoneServer(
                DnsServerSettings.of("acme.certflow.test.", "127.0.0.1", 0), name -> RECORDS.getOrDefault(name, List.of()), 7)) {
            server.start();
            Random random = new Random(SEED);
            List<byte[]> seeds = validQueries();
            for (int i = 0; i < 200; i++) {
                byte[] packet = i % 2 == 0 ? randomBytes(random) : mutate(seeds.get(random.nextInt(seeds.size())), random);
                try (java.net.Socket tcp = new java.net.Socket(InetAddress.getLoopbackAddress(), server.port())) {
                    tcp.setSoTimeout(2000);
                    java.io.DataOutputStream out = new java.io.DataOutputStream(tcp.getOutputStream());
                    int framed = random.nextInt(3) == 0 ? random.nextInt(65536) : packet.length; // sometimes a lying length
                    out.writeShort(framed);
                    out.write(packet);
                    out.flush();
                    tcp.shutdownOutput();
                    java.io.DataInputStream in = new java.io.DataInputStream(tcp.getInputStream());
                    int first = in.read();
                    if (first >= 0) {
                        byte[] answer = new byte[(first << 8) | in.readUnsignedByte()];
                        in.readFully(answer);
                        assertThat(new Message(answer).getHeader().getFlag(Flags.QR)).isTrue();
                    }
                } catch (java.net.SocketException reset) {
                    // the server closed a malformed stream: fine
                }
            }

            SimpleResolver resolver = new SimpleResolver(InetAddress.getLoopbackAddress());
            resolver.setPort(server.port());
            resolver.setTCP(true);
            resolver.setTimeout(Duration.ofSeconds(3));
            Message answer = resolver.send(Message.newQuery(Record.newRecord(Name.fromString(NAME), Type.TXT, DClass.IN)));
            assertThat(server.isRunning()).isTrue();
            assertThat(answer.getSection(org.xbill.DNS.Section.ANSWER)).hasSize(2);
        }
    }

    private static List<byte[]> validQueries() throws IOException {
        List<byte[]> queries = new ArrayList<>();
        for (String name : List.of(NAME, "acme.certflow.test.", "x.acme.certflow.test.", "example.org.")) {
            for (int type : new int[]{Type.TXT, Type.SOA, Type.NS, Type.A, Type.ANY}) {
                Message query = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
                queries.add(query.toWire());
                query.addRecord(new org.xbill.DNS.OPTRecord(1232, 0, 0, org.xbill.DNS.ExtendedFlags.DO),
                        org.xbill.DNS.Section.ADDITIONAL);
                queries.add(query.toWire()); // with EDNS0
            }
        }
        return queries;
    }

    private static byte[] randomBytes(Random random) {
        byte[] bytes = new byte[random.nextInt(600)];
        random.nextBytes(bytes);
        return bytes.length < 2 ? new byte[]{0, 0} : bytes;
    }

    private static byte[] mutate(byte[] seed, Random random) {
        byte[] packet = seed.clone();
        switch (random.nextInt(4)) {
            case 0 -> {
                int flips = 1 + random.nextInt(8);
                for (int f = 0; f < flips; f++) {
                    int at = random.nextInt(packet.length);
                    packet[at] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> packet = java.util.Arrays.copyOf(packet, Math.max(2, random.nextInt(packet.length)));
            case 2 -> {
                byte[] longer = java.util.Arrays.copyOf(packet, packet.length + 1 + random.nextInt(64));
                for (int at = packet.length; at < longer.length; at++) {
                    longer[at] = (byte) random.nextInt(256);
                }
                packet = longer;
            }
            default -> {
                int at = 2 + random.nextInt(Math.max(1, packet.length - 2));
                if (at < packet.length) {
                    packet[at] = (byte) random.nextInt(256);
                }
                packet[4] = (byte) random.nextInt(256); // QDCOUNT high byte
                packet[5] = (byte) random.nextInt(256);
            }
        }
        return packet;
    }
}
