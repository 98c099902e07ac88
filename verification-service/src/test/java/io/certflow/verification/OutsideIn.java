package io.certflow.verification;

import io.certflow.devstack.Binaries;
import io.certflow.devstack.BindProcess;
import io.certflow.devstack.Component;
import io.certflow.devstack.Ports;
import io.certflow.devstack.StackConfig;
import org.springframework.test.context.DynamicPropertyRegistry;

import io.certflow.events.v1.CertificateIssued;
import io.certflow.events.v1.CertificateRequested;
import io.certflow.events.v1.ChallengeRequested;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What verification-service's ITs send and ask, from the outside only: the events other services
 * publish, and DNS queries to a server on a loopback port. Kept to topics and DNS so that the
 * ITs do not depend on the service's internals.
 */
final class OutsideIn {

    static final Duration WAIT = Duration.ofSeconds(30);

    private OutsideIn() {
    }

    /**
     * The settings every service IT gives verification-service: its DNS server on {@code certflowDns}, the customers'
     * BIND as resolver and as the authoritative servers (on BIND's port), quick lookups and checks.
     */
    static void customerDns(DynamicPropertyRegistry registry, Ports ports) {
        registry.add("certflow.verification.dns.port", ports::certflowDns);
        registry.add("certflow.verification.resolver", () -> "127.0.0.1:" + ports.bind());
        registry.add("certflow.verification.lookup.authoritative-port", ports::bind);
        registry.add("certflow.verification.lookup.timeout", () -> "1s");
        registry.add("certflow.verification.challenge.check-interval", () -> "100ms");
    }

    /** Starts BIND as the customers' DNS (zone {@code demo.certflow.test.}), or skips the test without BIND. */
    static BindProcess startBind(Path dir, Ports ports) {
        assumeTrue(Binaries.isAvailable(Binaries.NAMED), "BIND (named) is not installed");
        BindProcess bind = new BindProcess(StackConfig.forTests(dir, EnumSet.of(Component.BIND)).withPorts(ports));
        bind.start();
        return bind;
    }

    /** What a DNS server answered for one question. */
    record Answer(int rcode, boolean authoritative, List<String> txt, List<String> records) {
    }

    /** Asks the server on loopback {@code port} for {@code name}'s TXT records over UDP. */
    static Answer txt(int port, String name) {
        SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        resolver.setTimeout(Duration.ofSeconds(3));
        try {
            Message m = resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name), Type.TXT, DClass.IN)));
            List<Record> answer = m.getSection(Section.ANSWER);
            return new Answer(m.getRcode(), m.getHeader().getFlag(org.xbill.DNS.Flags.AA),
                    answer.stream().filter(r -> r instanceof TXTRecord)
                            .map(r -> String.join("", ((TXTRecord) r).getStrings())).sorted().toList(),
                    answer.stream().map(Record::toString).sorted().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Gives the account of {@code apiKey} an RFC 2136 credential for BIND's zone at {@code server} (with TSIG
     * {@code tsigSecret}) through the API; checks that the answer never shows the secret. Returns its id.
     */
    static String createRfc2136Credential(io.certflow.testsupport.ApiClient api, String apiKey, String tsigSecret,
                                          String server) {
        com.fasterxml.jackson.databind.JsonNode created = api.post("/api/v1/dns-credentials", apiKey,
                Map.of("name", "demo BIND", "provider", "RFC2136",
                        "settings", Map.of("server", server, "keyName", BindProcess.TSIG_KEY_NAME,
                                "algorithm", BindProcess.TSIG_ALGORITHM),
                        "secrets", Map.of("tsigSecret", tsigSecret))).json(201);
        assertThat(created.get("provider").asText()).isEqualTo("RFC2136");
        assertThat(created.toString()).doesNotContain(tsigSecret);
        return created.get("id").asText();
    }

    static CertificateRequested certificateRequested(String account, String certificateId, String... domains) {
        return new CertificateRequested(UUID.randomUUID(), Instant.now(), account, certificateId,
                "ord_" + UUID.randomUUID(), List.of(domains), "dv-single", 1,
                Instant.now().plus(Duration.ofDays(365)), true, null, null);
    }

    static ChallengeRequested challengeRequested(String account, String certificateId, String attemptId,
                                                 ChallengeRequested.DnsChallenge... challenges) {
        return new ChallengeRequested(UUID.randomUUID(), Instant.now(), account, certificateId, attemptId,
                List.of(challenges));
    }

    /** The DNS-01 challenge of {@code domain} with {@code value} at its {@code _acme-challenge} name (a wildcard's is its base's). */
    static ChallengeRequested.DnsChallenge dns01(String domain, String value) {
        String base = domain.startsWith("*.") ? domain.substring(2) : domain;
        return new ChallengeRequested.DnsChallenge(domain, "_acme-challenge." + base + ".", value);
    }

    static CertificateIssued certificateIssued(String account, String certificateId, String attemptId, String domain) {
        return new CertificateIssued(UUID.randomUUID(), Instant.now(), account, certificateId, attemptId,
                "1a2b", "ab".repeat(32), Instant.now(), Instant.now().plus(Duration.ofDays(90)), List.of(domain),
                "CN=Pebble", "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n", null);
    }

    /** Waits until {@code condition} holds, or fails after {@link #WAIT}. */
    static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        awaitTrue("condition", condition);
    }

    /** Waits until {@code condition} holds, or fails after {@link #WAIT}. */
    static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(what + ": not within " + WAIT);
    }
}
