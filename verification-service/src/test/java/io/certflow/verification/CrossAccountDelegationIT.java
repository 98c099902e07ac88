package io.certflow.verification;

import com.fasterxml.jackson.databind.JsonNode;
import io.certflow.devstack.BindProcess;
import io.certflow.devstack.Ports;
import io.certflow.events.v1.ChallengeReady;
import io.certflow.events.v1.ChallengeRequested;
import io.certflow.events.v1.DomainsVerified;
import io.certflow.testsupport.ApiClient;
import io.certflow.testsupport.ServiceIT;
import io.certflow.testsupport.TopicProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.xbill.DNS.Rcode;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static io.certflow.verification.OutsideIn.WAIT;
import static io.certflow.verification.OutsideIn.awaitTrue;
import static io.certflow.verification.OutsideIn.certificateIssued;
import static io.certflow.verification.OutsideIn.certificateRequested;
import static io.certflow.verification.OutsideIn.challengeRequested;
import static io.certflow.verification.OutsideIn.dns01;
import static io.certflow.verification.OutsideIn.txt;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The delegation zone is shared by every account, yet no account can get a challenge answered for
 * another account's domain through it: account A delegates {@code shop.demo.certflow.test} (its
 * CNAME in a real BIND points at A's label); account B then asks, in every way the API and topics
 * allow, for certificates and challenges of that domain, and nothing B sends is ever served — not at
 * A's label, not at B's own — while A's own challenges are. Labels are 160 random bits, one per
 * account and domain.
 */
@ServiceIT
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class CrossAccountDelegationIT {

    private static final String ZONE = "demo.certflow.test";
    private static final String DOMAIN = "shop." + ZONE;
    private static final String LABEL_NAME = "[a-z2-7]{32}\\.acme\\.certflow\\.test\\."; // 32 × 5 = 160 bits
    private static final Ports PORTS = Ports.free();

    @TempDir
    static Path dir;
    static BindProcess bind;

    @Autowired
    TopicProbe topics;
    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void dns(DynamicPropertyRegistry registry) {
        OutsideIn.customerDns(registry, PORTS);
    }

    @BeforeAll
    static void startBind() {
        bind = OutsideIn.startBind(dir, PORTS);
    }

    @AfterAll
    static void stopBind() {
        if (bind != null) {
            bind.stop();
        }
    }

    @Test
    void accountBGetsNothingServedForAccountAsDomain() throws Exception {
        // A delegates and verifies
        String targetA = delegation("key-a", DOMAIN).get("recordValue").asText();
        bind.addCname("_acme-challenge.shop", targetA);
        assertThat(verify("key-a", DOMAIN).get("result").asText()).isEqualTo("VERIFIED");

        // B's own authorization of the same domain: another label, and Verify sees A's CNAME, not B's
        JsonNode delegationB = delegation("key-b", DOMAIN);
        String targetB = delegationB.get("recordValue").asText();
        assertThat(targetA).matches(LABEL_NAME);
        assertThat(targetB).matches(LABEL_NAME).isNotEqualTo(targetA);
        JsonNode verifyB = verify("key-b", DOMAIN);
        assertThat(verifyB.get("verified").asBoolean()).isFalse();
        assertThat(verifyB.get("result").asText()).isEqualTo("WRONG_TARGET");
        assertThat(verifyB.get("expected").asText()).isEqualTo(targetB);
        assertThat(verifyB.get("found").get(0).asText()).isEqualTo(targetA);
        assertThat(delegation("key-b", DOMAIN).get("state").asText()).isEqualTo("PENDING");

        // B's certificate request for A's domain is not verified, not even after A verifies again
        String certificateB = "crt_" + UUID.randomUUID();
        topics.publish(certificateRequested("account-b", certificateB, DOMAIN, "*." + DOMAIN));
        String certificateA = "crt_" + UUID.randomUUID();
        topics.publish(certificateRequested("account-a", certificateA, DOMAIN)); // behind B's on the one partition
        DomainsVerified verifiedA = topics.await(DomainsVerified.class, e -> e.certificateId().equals(certificateA), WAIT);
        assertThat(verifiedA.domains()).singleElement().satisfies(d -> assertThat(d.delegationTarget()).isEqualTo(targetA));
        assertThat(verify("key-a", DOMAIN).get("result").asText()).isEqualTo("VERIFIED");
        String marker = "crt_" + UUID.randomUUID();
        topics.publish(certificateRequested("account-a", marker, DOMAIN));
        topics.await(DomainsVerified.class, e -> e.certificateId().equals(marker), WAIT);
        Thread.sleep(500);
        assertThat(topics.all(DomainsVerified.class)).noneMatch(e -> e.certificateId().equals(certificateB));

        // A's challenge is served at A's label
        String attemptA = "att_" + UUID.randomUUID();
        topics.publish(challengeRequested("account-a", certificateA, attemptA, dns01(DOMAIN, "digest-of-a")));
        assertThat(topics.await(ChallengeReady.class, e -> e.attemptId().equals(attemptA), WAIT).ready()).isTrue();

        // B's challenges for A's domain, however they are named, are refused with the reason
        String labelA = targetA.substring(0, targetA.indexOf('.'));
        List<ChallengeRefusal> refusals = List.of(
                new ChallengeRefusal(DOMAIN, dns01(DOMAIN, "digest-of-b")),
                new ChallengeRefusal(DOMAIN, dns01("*." + DOMAIN, "digest-of-b-wild")),
                new ChallengeRefusal(DOMAIN, new ChallengeRequested.DnsChallenge(
                        DOMAIN, targetA, "digest-of-b-at-a")), // A's label named as the record
                new ChallengeRefusal(labelA, dns01(targetA.substring(0, targetA.length() - 1), "digest-of-b-label")));
        for (ChallengeRefusal refusal : refusals) {
            String attemptB = "att_" + UUID.randomUUID();
            topics.publish(challengeRequested("account-b", certificateB, attemptB, refusal.challenge()));
            ChallengeReady answer = topics.await(ChallengeReady.class, e -> e.attemptId().equals(attemptB), WAIT);
            assertThat(answer.ready()).as(refusal.challenge().recordName()).isFalse();
            assertThat(answer.accountId()).isEqualTo("account-b");
            assertThat(answer.reason()).as("names what is wrong").contains(refusal.reasonNames());
        }

        // nothing of B's is served anywhere; A's value alone, directly and through the customer's CNAME
        assertThat(txt(PORTS.certflowDns(), targetA).txt()).containsExactly("digest-of-a");
        assertThat(txt(PORTS.bind(), "_acme-challenge." + DOMAIN + ".").txt()).containsExactly("digest-of-a");
        assertThat(txt(PORTS.certflowDns(), targetB).rcode()).isEqualTo(Rcode.NXDOMAIN);

        topics.publish(certificateIssued("account-a", certificateA, attemptA, DOMAIN));
        awaitTrue("A's value withdrawn", () -> txt(PORTS.certflowDns(), targetA).rcode() == Rcode.NXDOMAIN);
    }

    @Test
    void everyAccountAndDomainGetsItsOwnLabelForGood() throws Exception {
        Set<String> targets = new HashSet<>();
        for (String key : List.of("key-a", "key-b")) {
            for (int i = 0; i < 20; i++) {
                String domain = "d" + i + "." + ZONE;
                String target = delegation(key, domain).get("recordValue").asText();
                assertThat(target).matches(LABEL_NAME);
                assertThat(delegation(key, domain.toUpperCase()).get("recordValue").asText())
                        .as("asked again: the same label").isEqualTo(target);
                assertThat(delegation(key, "*." + domain).get("recordValue").asText())
                        .as("a wildcard shares its base domain's").isEqualTo(target);
                targets.add(target);
            }
        }
        assertThat(targets).as("never one label for two accounts or two domains").hasSize(40);
    }

    /** A challenge account B sends, and what the refusal must name. */
    private record ChallengeRefusal(String reasonNames, ChallengeRequested.DnsChallenge challenge) {
    }

    private JsonNode delegation(String apiKey, String domain) {
        return ApiClient.onPort(port).get("/api/v1/domains/" + domain + "/delegation", apiKey).json(200);
    }

    private JsonNode verify(String apiKey, String domain) {
        return ApiClient.onPort(port).post("/api/v1/domains/" + domain + "/verify", apiKey, "").json(200);
    }
}
