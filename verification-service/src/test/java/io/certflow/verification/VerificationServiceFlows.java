package io.certflow.verification;

import com.fasterxml.jackson.databind.JsonNode;
import io.certflow.devstack.BindProcess;
import io.certflow.devstack.Ports;
import io.certflow.events.Topics;
import io.certflow.events.v1.CertificateRequested;
import io.certflow.events.v1.ChallengeReady;
import io.certflow.events.v1.ChallengeRequested;
import io.certflow.events.v1.DomainVerificationLost;
import io.certflow.events.v1.DomainsVerified;
import io.certflow.events.v1.RenewalDue;
import io.certflow.testsupport.ApiClient;
import io.certflow.testsupport.TopicProbe;
import io.certflow.verification.persistence.VerificationRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
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
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.certflow.verification.OutsideIn.WAIT;
import static io.certflow.verification.OutsideIn.awaitTrue;
import static io.certflow.verification.OutsideIn.certificateIssued;
import static io.certflow.verification.OutsideIn.certificateRequested;
import static io.certflow.verification.OutsideIn.challengeRequested;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * verification-service end to end: the delegation API against a real BIND holding the customer
 * zone {@code demo.certflow.test} (CNAMEs added by RFC 2136 once the API gave their value), the
 * events on a real broker, and challenge TXT records served by certflow's DNS server, directly and
 * through BIND (which forwards the delegation zone to it).
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
abstract class VerificationServiceFlows {

    private static final String ZONE = "demo.certflow.test";
    /** certflow's DNS server on {@code certflowDns}, where BIND forwards the delegation zone. */
    private static final Ports PORTS = Ports.free();
    private static final int DNS_PORT = PORTS.certflowDns();

    @TempDir
    static Path dir;
    static BindProcess bind;

    @Autowired
    TopicProbe topics;
    @Autowired
    MongoTemplate mongo;
    @LocalServerPort
    int port;


    @DynamicPropertySource
    static void dns(DynamicPropertyRegistry registry) {
        OutsideIn.customerDns(registry, PORTS);
        registry.add("certflow.verification.challenge.ready-timeout", () -> "20s");
        registry.add("certflow.verification.recheck.interval", () -> "200ms");
    }

    @BeforeAll
    static void startBind() {
        bind = OutsideIn.startBind(dir, PORTS);
        bind.addCname("_acme-challenge.wrong", "somewhere.example.net.");
        bind.addCname("_acme-challenge.loop", "loop2." + ZONE + ".");
        bind.addCname("loop2", "_acme-challenge.loop." + ZONE + ".");
        bind.addTxt("_acme-challenge.txt", "left over");
    }

    @AfterAll
    static void stopBind() {
        if (bind != null) {
            bind.stop();
        }
    }

    @Test
    void delegateVerifyAndServeChallenges() throws Exception {
        String domain = "www." + ZONE;
        JsonNode delegation = api().get("/api/v1/domains/" + domain + "/delegation", "key-a").json(200);
        assertThat(delegation.get("domain").asText()).isEqualTo(domain);
        assertThat(delegation.get("recordName").asText()).isEqualTo("_acme-challenge." + domain + ".");
        assertThat(delegation.get("recordType").asText()).isEqualTo("CNAME");
        assertThat(delegation.get("zone").asText()).as("found by SOA records").isEqualTo(ZONE + ".");
        assertThat(delegation.get("hostRecord").asText()).as("as DNS consoles ask for it").isEqualTo("_acme-challenge.www");
        assertThat(delegation.get("state").asText()).isEqualTo("PENDING");
        String target = delegation.get("recordValue").asText();
        assertThat(target).matches("[a-z2-7]{32}\\.acme\\.certflow\\.test\\.");
        assertThat(api().get("/api/v1/domains/" + domain.toUpperCase() + "/delegation", "key-a").json(200)
                .get("recordValue").asText()).isEqualTo(target);

        JsonNode before = api().post("/api/v1/domains/" + domain + "/verify", "key-a", "").json(200);
        assertThat(before.get("verified").asBoolean()).isFalse();
        assertThat(before.get("result").asText()).isEqualTo("NXDOMAIN");
        assertThat(before.get("expected").asText()).isEqualTo(target);

        bind.addCname("_acme-challenge.www", target);
        JsonNode verified = api().post("/api/v1/domains/" + domain + "/verify", "key-a", "").json(200);
        assertThat(verified.get("verified").asBoolean()).isTrue();
        assertThat(verified.get("result").asText()).isEqualTo("VERIFIED");
        assertThat(verified.get("found")).hasSize(1);
        assertThat(verified.get("found").get(0).asText()).isEqualTo(target);
        assertThat(verified.get("detail").asText()).isNotBlank();
        assertThat(api().get("/api/v1/domains/" + domain + "/delegation", "key-a").json(200).get("state").asText())
                .isEqualTo("VERIFIED");

        // a certificate for the verified domain and its wildcard: verified at once
        String certificateId = "crt_" + UUID.randomUUID();
        CertificateRequested requested = certificateRequested("account-a", certificateId, domain, "*." + domain);
        topics.publish(requested);
        DomainsVerified domainsVerified = topics.await(DomainsVerified.class,
                e -> e.certificateId().equals(certificateId), WAIT);
        assertThat(domainsVerified.accountId()).isEqualTo("account-a");
        assertThat(domainsVerified.domains()).extracting(DomainsVerified.VerifiedDomain::domain)
                .containsExactly(domain, "*." + domain);
        assertThat(domainsVerified.domains()).allSatisfy(d -> {
            assertThat(d.method()).isEqualTo("CNAME_DELEGATION");
            assertThat(d.delegationTarget()).isEqualTo(target);
        });

        // the challenge values, apex and wildcard on one name
        String attemptId = "att_" + UUID.randomUUID();
        ChallengeRequested challenge = challengeRequested("account-a", certificateId, attemptId,
                new ChallengeRequested.DnsChallenge(domain, "_acme-challenge." + domain + ".", "digest-apex-0123456789"),
                new ChallengeRequested.DnsChallenge(domain, "_acme-challenge." + domain + ".", "digest-wild-0123456789"));
        topics.publish(challenge);
        ChallengeReady ready = topics.await(ChallengeReady.class, e -> e.attemptId().equals(attemptId), WAIT);
        assertThat(ready.ready()).isTrue();
        assertThat(ready.certificateId()).isEqualTo(certificateId);

        assertThat(txt(certflowDns(), target)).containsExactlyInAnyOrder("digest-apex-0123456789", "digest-wild-0123456789");
        assertThat(txt(resolver(PORTS.bind()), "_acme-challenge." + domain + "."))
                .containsExactlyInAnyOrder("digest-apex-0123456789", "digest-wild-0123456789");

        // the same events again change nothing: after a marker behind them, still one answer each
        topics.republishAll(t -> t.equals(Topics.CERTIFICATE_REQUESTED) || t.equals(Topics.CHALLENGE_REQUESTED));
        String markerCertificate = "crt_" + UUID.randomUUID();
        topics.publish(certificateRequested("account-a", markerCertificate, domain));
        topics.await(DomainsVerified.class, e -> e.certificateId().equals(markerCertificate), WAIT);
        String markerAttempt = "att_" + UUID.randomUUID();
        topics.publish(challengeRequested("account-a", markerCertificate, markerAttempt,
                new ChallengeRequested.DnsChallenge(domain, "_acme-challenge." + domain + ".", "digest-marker")));
        topics.await(ChallengeReady.class, e -> e.attemptId().equals(markerAttempt), WAIT);
        Thread.sleep(500);
        assertThat(topics.all(DomainsVerified.class)).filteredOn(e -> e.certificateId().equals(certificateId)).hasSize(1);
        assertThat(topics.all(ChallengeReady.class)).filteredOn(e -> e.attemptId().equals(attemptId)).hasSize(1);

        // issued: the values are withdrawn
        topics.publish(certificateIssued("account-a", certificateId, attemptId, domain));
        awaitTrue(() -> !txt(certflowDns(), target).contains("digest-apex-0123456789"));
        assertThat(txt(certflowDns(), target)).containsExactly("digest-marker");
    }

    @Test
    void waitingCertificateIsReleasedByALaterVerify() throws Exception {
        String domain = "api." + ZONE;
        String certificateId = "crt_" + UUID.randomUUID();
        topics.publish(certificateRequested("account-a", certificateId, domain));
        awaitTrue(() -> {
            VerificationRequest r = mongo.findById(certificateId, VerificationRequest.class);
            return r != null && r.isWaiting();
        });
        assertThat(topics.all(DomainsVerified.class)).noneMatch(e -> e.certificateId().equals(certificateId));

        JsonNode delegation = api().get("/api/v1/domains/" + domain + "/delegation", "key-a").json(200);
        assertThat(delegation.get("state").asText()).isEqualTo("PENDING");
        bind.addCname("_acme-challenge.api", delegation.get("recordValue").asText());
        assertThat(api().post("/api/v1/domains/" + domain + "/verify", "key-a", "").json(200).get("result").asText())
                .isEqualTo("VERIFIED");

        DomainsVerified released = topics.await(DomainsVerified.class, e -> e.certificateId().equals(certificateId), WAIT);
        assertThat(released.domains()).extracting(DomainsVerified.VerifiedDomain::domain).containsExactly(domain);
        assertThat(mongo.findById(certificateId, VerificationRequest.class).isWaiting()).isFalse();
    }

    @Test
    void challengeForAnUndelegatedDomainIsNotReady() {
        String domain = "undelegated." + ZONE;
        String attemptId = "att_" + UUID.randomUUID();
        topics.publish(challengeRequested("account-a", "crt_" + UUID.randomUUID(), attemptId,
                new ChallengeRequested.DnsChallenge(domain, "_acme-challenge." + domain + ".", "digest")));
        ChallengeReady answer = topics.await(ChallengeReady.class, e -> e.attemptId().equals(attemptId), WAIT);
        assertThat(answer.ready()).isFalse();
        assertThat(answer.reason()).contains(domain);
    }

    @Test
    void verifyExplainsWhatIsWrong() throws Exception {
        JsonNode wrong = api().post("/api/v1/domains/wrong." + ZONE + "/verify", "key-a", "").json(200);
        assertThat(wrong.get("result").asText()).isEqualTo("WRONG_TARGET");
        assertThat(wrong.get("verified").asBoolean()).isFalse();
        assertThat(wrong.get("found").get(0).asText()).isEqualTo("somewhere.example.net.");
        assertThat(wrong.get("expected").asText()).endsWith(".acme.certflow.test.");

        assertThat(api().post("/api/v1/domains/loop." + ZONE + "/verify", "key-a", "").json(200).get("result").asText())
                .isEqualTo("CNAME_LOOP");
        JsonNode txt = api().post("/api/v1/domains/txt." + ZONE + "/verify", "key-a", "").json(200);
        assertThat(txt.get("result").asText()).isEqualTo("NOT_A_CNAME");
        assertThat(txt.get("found").get(0).asText()).isEqualTo("TXT \"left over\"");
        JsonNode none = api().post("/api/v1/domains/nothing." + ZONE + "/verify", "key-a", "").json(200);
        assertThat(none.get("result").asText()).isEqualTo("NXDOMAIN");
        assertThat(none.get("detail").asText()).contains("_acme-challenge.nothing." + ZONE + ".");
        assertThat(api().get("/api/v1/domains/loop." + ZONE + "/delegation", "key-a").json(200).get("state").asText())
                .isEqualTo("PENDING");
    }

    @Test
    void aDelegationRemovedLaterIsReportedWhenARenewalIsDueAndComesBackOnceFixed() throws Exception {
        String domain = "kept." + ZONE;
        String target = api().get("/api/v1/domains/" + domain + "/delegation", "key-a").json(200)
                .get("recordValue").asText();
        bind.addCname("_acme-challenge.kept", target);
        assertThat(api().post("/api/v1/domains/" + domain + "/verify", "key-a", "").json(200).get("result").asText())
                .isEqualTo("VERIFIED");
        String certificateId = "crt_" + UUID.randomUUID();
        topics.publish(certificateRequested("account-a", certificateId, "*." + domain));
        topics.await(DomainsVerified.class, e -> e.certificateId().equals(certificateId), WAIT);

        bind.addCname("_acme-challenge.kept", "old-provider.example.net.");
        topics.publish(new RenewalDue(UUID.randomUUID(), Instant.now(), "account-a", certificateId, "1a2b",
                Instant.now(), "ari-window", false));
        DomainVerificationLost lost = topics.await(DomainVerificationLost.class,
                e -> e.certificateId().equals(certificateId), WAIT);
        assertThat(lost.domain()).isEqualTo(domain);
        assertThat(lost.method()).isEqualTo("CNAME_DELEGATION");
        assertThat(lost.result()).isEqualTo("WRONG_TARGET");
        assertThat(lost.reason()).contains("old-provider.example.net.").contains(target);
        JsonNode shown = api().get("/api/v1/domains/" + domain, "key-a").json(200);
        assertThat(shown.get("state").asText()).isEqualTo("LOST");
        assertThat(shown.get("lastCheck").get("result").asText()).isEqualTo("WRONG_TARGET");

        // the renewal's challenge is refused with the reason, not left to time out at the CA
        String attemptId = "att_" + UUID.randomUUID();
        topics.publish(challengeRequested("account-a", certificateId, attemptId,
                new ChallengeRequested.DnsChallenge("*." + domain, "_acme-challenge." + domain + ".", "digest-kept")));
        ChallengeReady refused = topics.await(ChallengeReady.class, e -> e.attemptId().equals(attemptId), WAIT);
        assertThat(refused.ready()).isFalse();
        assertThat(refused.reason()).contains(domain);

        bind.addCname("_acme-challenge.kept", target);
        topics.publish(new RenewalDue(UUID.randomUUID(), Instant.now(), "account-a", certificateId, "1a2b",
                Instant.now(), "retry", false));
        awaitTrue(() -> api().get("/api/v1/domains/" + domain, "key-a").json(200).get("state").asText()
                .equals("VERIFIED"));
        assertThat(topics.all(DomainVerificationLost.class)).filteredOn(e -> e.certificateId().equals(certificateId))
                .hasSize(1);
    }

    @Test
    void accountsNeverShareADelegation() throws Exception {
        String domain = "shared." + ZONE;
        String targetA = api().get("/api/v1/domains/" + domain + "/delegation", "key-a").json(200).get("recordValue").asText();
        String targetB = api().get("/api/v1/domains/" + domain + "/delegation", "key-b").json(200).get("recordValue").asText();
        assertThat(targetA).isNotEqualTo(targetB);
        bind.addCname("_acme-challenge.shared", targetA);
        assertThat(api().post("/api/v1/domains/" + domain + "/verify", "key-a", "").json(200).get("result").asText()).isEqualTo("VERIFIED");
        JsonNode b = api().post("/api/v1/domains/" + domain + "/verify", "key-b", "").json(200);
        assertThat(b.get("result").asText()).isEqualTo("WRONG_TARGET");
        assertThat(b.get("found").get(0).asText()).isEqualTo(targetA);

        String attemptId = "att_" + UUID.randomUUID();
        topics.publish(challengeRequested("account-b", "crt_" + UUID.randomUUID(), attemptId,
                new ChallengeRequested.DnsChallenge(domain, "_acme-challenge." + domain + ".", "digest-b")));
        assertThat(topics.await(ChallengeReady.class, e -> e.attemptId().equals(attemptId), WAIT).ready()).isFalse();
    }

    @Test
    void badDomainsAndMissingKeysAreRefused() throws Exception {
        api().get("/api/v1/domains/not_a..domain/delegation", "key-a").assertProblem(400, "not a valid domain name");
        assertThat(api().post("/api/v1/domains/localhost/verify", "key-a", "").status()).isEqualTo(400);
        assertThat(api().get("/api/v1/domains/www." + ZONE + "/delegation", null).status()).isEqualTo(401);
        assertThat(api().get("/api/v1/domains/www." + ZONE + "/delegation", "wrong-key").status()).isEqualTo(401);
    }

    private static SimpleResolver certflowDns() {
        return resolver(DNS_PORT);
    }

    private static SimpleResolver resolver(int port) {
        SimpleResolver r = new SimpleResolver(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        r.setTimeout(Duration.ofSeconds(3));
        return r;
    }

    private static List<String> txt(SimpleResolver resolver, String name) {
        try {
            Message m = resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name), Type.TXT, DClass.IN)));
            assertThat(m.getRcode()).isIn(Rcode.NOERROR, Rcode.NXDOMAIN);
            return m.getSection(Section.ANSWER).stream().filter(r -> r instanceof TXTRecord)
                    .map(r -> String.join("", ((TXTRecord) r).getStrings())).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ApiClient api() {
        return ApiClient.onPort(port);
    }
}
