package io.certflow.hosting;

import com.fasterxml.jackson.databind.JsonNode;
import io.certflow.events.v1.CertificateExpiring;
import io.certflow.events.v1.CertificateIssued;
import io.certflow.events.v1.CertificateRequested;
import io.certflow.events.v1.CertificateRevoked;
import io.certflow.events.v1.DeploymentCompleted;
import io.certflow.events.v1.DomainVerificationLost;
import io.certflow.events.v1.IssuanceFailed;
import io.certflow.events.v1.MaintenanceWindowsChanged;
import io.certflow.events.v1.OrderCancelled;
import io.certflow.events.v1.RenewalDue;
import io.certflow.events.v1.RenewalWindowChanged;
import io.certflow.hosting.alerting.ExpiryWatch;
import io.certflow.hosting.maintenance.MaintenanceWindowsAnnouncer;
import io.certflow.hosting.metrics.FleetGauges;
import io.certflow.hosting.renewal.RenewalIds;
import io.certflow.hosting.renewal.RenewalPolicy;
import io.certflow.testsupport.ApiClient;
import io.certflow.testsupport.TestApiKeys;
import io.certflow.testsupport.TopicProbe;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * hosting-service end to end on a real broker and a Mongo wire server: certificates follow the
 * lifecycle events, the scheduler and the API start renewals, failures back off. Run on the embedded
 * stack ({@link HostingServiceIT}) and on containers ({@link HostingServiceContainersIT}).
 */
@TestPropertySource(properties = {"certflow.hosting.renewal-check-interval=200ms",
        "certflow.hosting.alerts.check-interval=200ms",
        "certflow.security.api-keys.key-list.sha256=" + TestApiKeys.KEY_LIST_SHA256,
        "certflow.security.api-keys.key-list.account=account-list",
        "certflow.security.api-keys.key-mw.sha256=" + TestApiKeys.KEY_MW_SHA256,
        "certflow.security.api-keys.key-mw.account=account-mw"})
abstract class HostingServiceFlows {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    TopicProbe topics;
    @Autowired
    ExpiryWatch expiryWatch;
    @Autowired
    FleetGauges fleetGauges;
    @Autowired
    MaintenanceWindowsAnnouncer announcer;
    @Autowired
    MongoTemplate mongo;
    @LocalServerPort
    int port;
    private ApiClient api;

    private final RenewalPolicy policy = RenewalPolicy.defaults();

    @Test
    void anIssuedCertificateIsHostedWithItsNextRenewalAtOneThirdOfItsLifetime() {
        String id = newId();
        Instant notBefore = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        Instant notAfter = notBefore.plus(90, ChronoUnit.DAYS);
        topics.publish(request(id, Instant.now().plus(365, ChronoUnit.DAYS)));
        topics.publish(issued(id, "0a01", notBefore, notAfter));

        JsonNode hosted = awaitCertificate(id, c -> c.path("status").asText().equals("HOSTED"));

        assertThat(hosted.get("accountId").asText()).isEqualTo("account-a");
        assertThat(hosted.get("domains")).extracting(JsonNode::asText).containsExactly("www.hosted.example");
        assertThat(hosted.get("serialNumber").asText()).isEqualTo("0a01");
        assertThat(Instant.parse(hosted.get("notAfter").asText())).isEqualTo(notAfter);
        Instant expected = notAfter.minus(Duration.ofDays(90).multipliedBy(3333).dividedBy(10000));
        assertThat(Instant.parse(hosted.get("nextRenewalAt").asText())).as("a third of the lifetime, up to 5% earlier")
                .isBetween(expected.minus(Duration.ofDays(90).dividedBy(20)).minusSeconds(1), expected.plusSeconds(1));
        assertThat(hosted.get("renewalPlan").get(0).asText()).startsWith("one third of the lifetime remains (");
        assertThat(hosted.get("expiry").asText()).isEqualTo("VALID");
        assertThat(hosted.get("versions")).hasSize(1);

        topics.publish(new DeploymentCompleted(UUID.randomUUID(), Instant.now(), "account-a", id, "job-1", "task-1",
                "0a01", "SUBMIT", true, List.of()));
        JsonNode deployed = awaitCertificate(id, c -> c.path("lastDeployment").path("jobId").asText().equals("job-1"));
        assertThat(deployed.get("lastDeployment").get("succeeded").asBoolean()).isTrue();

        assertThat(api().get("/api/v1/certificates", "key-a").json(200))
                .extracting(n -> n.get("certificateId").asText()).contains(id);
        assertThat(api().get("/api/v1/certificates", "key-b").json())
                .extracting(n -> n.get("certificateId").asText()).doesNotContain(id);
        api().get("/api/v1/certificates/" + id, "key-b").assertProblem(404, "");
        api().get("/api/v1/certificates/" + id, null).assertProblem(401, "");
    }

    @Test
    void aManualRenewalRaisesRenewalDueOnceAndIsRefusedWhereItCannotRun() throws Exception {
        String id = newId();
        Instant notBefore = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        topics.publish(request(id, Instant.now().plus(365, ChronoUnit.DAYS)));
        topics.publish(issued(id, "0b01", notBefore, notBefore.plus(90, ChronoUnit.DAYS)));
        awaitCertificate(id, c -> c.path("status").asText().equals("HOSTED"));

        ApiClient.Response renew = renew(id, "key-a");
        ApiClient.Response again = renew(id, "key-a");

        JsonNode accepted = renew.json(202);
        assertThat(accepted.get("certificateId").asText()).isEqualTo(id);
        UUID eventId = UUID.fromString(accepted.get("renewalEventId").asText());
        assertThat(eventId).isEqualTo(RenewalIds.of(id, "0b01", true, 0));
        assertThat(again.json(202).get("renewalEventId").asText()).isEqualTo(eventId.toString());
        RenewalDue due = topics.await(RenewalDue.class, e -> e.eventId().equals(eventId), WAIT);
        assertThat(due.manual()).isTrue();
        assertThat(due.certificateId()).isEqualTo(id);
        assertThat(due.currentSerialNumber()).isEqualTo("0b01");
        assertThat(due.accountId()).isEqualTo("account-a");
        assertThat(getCertificate(id).get("status").asText()).isEqualTo("RENEWING");
        renew(id, "key-b").assertProblem(404, "");

        String pending = newId();
        topics.publish(request(pending, Instant.now().plus(365, ChronoUnit.DAYS)));
        awaitCertificate(pending, c -> c.path("status").asText().equals("PENDING_ISSUANCE"));
        renew(pending, "key-a").assertProblem(409, "");

        topics.publish(new OrderCancelled(UUID.randomUUID(), Instant.now(), "account-a", id, "ord-" + id, "asked", false));
        awaitCertificate(id, c -> c.path("status").asText().equals("CANCELLED"));
        renew(id, "key-a").assertProblem(409, "");
        Thread.sleep(1000);
        assertThat(topics.all(RenewalDue.class)).filteredOn(e -> e.certificateId().equals(id)).hasSize(1);
    }

    @Test
    void aDueCertificateIsRenewedOnceByTheSchedulerAndItsRenewalIsHosted() throws Exception {
        String id = newId();
        Instant notBefore = Instant.now().minus(60, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        Instant notAfter = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        CertificateRequested request = request(id, Instant.now().plus(365, ChronoUnit.DAYS));
        CertificateIssued first = issued(id, "0c01", notBefore, notAfter);
        topics.publish(request);
        topics.publish(first);

        RenewalDue due = topics.await(RenewalDue.class, e -> e.certificateId().equals(id), WAIT);

        assertThat(due.eventId()).isEqualTo(RenewalIds.of(id, "0c01", false, 0));
        assertThat(due.manual()).isFalse();
        assertThat(due.currentSerialNumber()).isEqualTo("0c01");
        assertThat(due.reason()).startsWith("one third of the lifetime remains (");
        assertThat(due.dueAt()).isBefore(policy.renewalTime(notBefore, notAfter).plusSeconds(1));
        assertThat(getCertificate(id).get("attempts")).singleElement()
                .satisfies(a -> assertThat(a.get("outcome").asText()).isEqualTo("RUNNING"));
        assertThat(getCertificate(id).get("status").asText()).isEqualTo("RENEWING");

        topics.publish(request);
        topics.publish(first);
        topics.publish(new CertificateIssued(UUID.randomUUID(), Instant.now(), "account-a", id, "att-again", "0c01",
                "ff", notBefore, notAfter, List.of("www.hosted.example"), "CN=Test CA", "PEM", null));
        Thread.sleep(2000);
        assertThat(topics.all(RenewalDue.class)).filteredOn(e -> e.certificateId().equals(id)).hasSize(1);
        assertThat(getCertificate(id).get("status").asText()).isEqualTo("RENEWING");

        Instant renewedFrom = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        CertificateIssued renewal = new CertificateIssued(UUID.randomUUID(), Instant.now(), "account-a", id, "att-2",
                "0c02", "ff02", renewedFrom, renewedFrom.plus(90, ChronoUnit.DAYS), List.of("www.hosted.example"),
                "CN=Test CA", "PEM", "0c01");
        topics.publish(renewal);

        JsonNode renewed = awaitCertificate(id, c -> c.path("serialNumber").asText().equals("0c02"));
        assertThat(renewed.get("status").asText()).isEqualTo("HOSTED");
        assertThat(renewed.get("versions")).extracting(v -> v.get("serialNumber").asText()).containsExactly("0c01", "0c02");
        Instant plain = policy.renewalTime(renewedFrom, renewedFrom.plus(90, ChronoUnit.DAYS));
        assertThat(Instant.parse(renewed.get("nextRenewalAt").asText())).as("a third of the lifetime, up to 5% earlier")
                .isBetween(plain.minus(Duration.ofDays(90).dividedBy(20)).minusSeconds(1), plain.plusSeconds(1));
        assertThat(renewed.get("attempts")).singleElement().satisfies(a -> {
            assertThat(a.get("outcome").asText()).isEqualTo("ISSUED");
            assertThat(a.get("newSerial").asText()).isEqualTo("0c02");
        });
        Thread.sleep(1000);
        assertThat(topics.all(RenewalDue.class)).filteredOn(e -> e.certificateId().equals(id)).hasSize(1);
    }

    @Test
    void aRevokedLiveVersionIsRenewedAtOnce_anOlderOneAndReplaysChangeNothing() throws Exception {
        String id = newId();
        Instant notBefore = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        topics.publish(request(id, Instant.now().plus(365, ChronoUnit.DAYS)));
        topics.publish(issued(id, "0c01", notBefore, notBefore.plus(90, ChronoUnit.DAYS)));
        topics.publish(issued(id, "0c02", notBefore.plus(1, ChronoUnit.MINUTES), notBefore.plus(91, ChronoUnit.DAYS)));
        JsonNode hosted = awaitCertificate(id, c -> c.path("serialNumber").asText().equals("0c02")
                && c.path("status").asText().equals("HOSTED"));

        // an older serial: nothing to do
        topics.publish(new CertificateRevoked(UUID.randomUUID(), Instant.now(), "account-a", id, "0c01", "superseded",
                Instant.now()));
        Thread.sleep(1500);
        JsonNode unchanged = getCertificate(id);
        assertThat(unchanged.get("status").asText()).isEqualTo("HOSTED");
        assertThat(unchanged.get("nextRenewalAt")).isEqualTo(hosted.get("nextRenewalAt"));
        assertThat(topics.all(RenewalDue.class)).noneMatch(e -> e.certificateId().equals(id));

        // the live serial: renewed at once
        CertificateRevoked revoked = new CertificateRevoked(UUID.randomUUID(), Instant.now(), "account-a", id, "0c02",
                "keyCompromise", Instant.now());
        topics.publish(revoked);
        UUID renewalId = RenewalIds.revoked(id, "0c02");
        RenewalDue due = topics.await(RenewalDue.class, e -> e.certificateId().equals(id), WAIT);
        assertThat(due.eventId()).isEqualTo(renewalId);
        assertThat(due.manual()).isFalse();
        assertThat(due.reason()).isEqualTo("revoked: keyCompromise");
        assertThat(due.currentSerialNumber()).isEqualTo("0c02");
        assertThat(due.accountId()).isEqualTo("account-a");
        assertThat(getCertificate(id).get("status").asText()).isEqualTo("RENEWING");

        // the same revocation again, every revocation replayed, and a second report of it: still one renewal
        topics.publish(revoked);
        topics.republishAll(t -> t.equals(io.certflow.events.Topics.CERTIFICATE_REVOKED));
        topics.publish(new CertificateRevoked(UUID.randomUUID(), Instant.now(), "account-a", id, "0c02", "keyCompromise",
                Instant.now()));
        Thread.sleep(2000);
        assertThat(topics.all(RenewalDue.class)).filteredOn(e -> e.certificateId().equals(id)).hasSize(1);
        assertThat(getCertificate(id).get("status").asText()).isEqualTo("RENEWING");
        assertThat(getCertificate(id).get("renewalEventId").asText()).isEqualTo(renewalId.toString());
    }

    @Test
    void aFailedRenewalIsRetriedAfterAnHour() {
        String id = newId();
        Instant notBefore = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        topics.publish(request(id, Instant.now().plus(365, ChronoUnit.DAYS)));
        topics.publish(issued(id, "0d01", notBefore, notBefore.plus(90, ChronoUnit.DAYS)));
        awaitCertificate(id, c -> c.path("status").asText().equals("HOSTED"));
        assertThat(renew(id, "key-a").status()).isEqualTo(202);

        Instant failedAt = Instant.now();
        topics.publish(new IssuanceFailed(UUID.randomUUID(), failedAt, "account-a", id, "att-fail",
                "the CA refused the order: rate limited", "urn:ietf:params:acme:error:rateLimited", true));

        JsonNode failed = awaitCertificate(id, c -> c.path("status").asText().equals("RENEWAL_FAILED"));
        assertThat(failed.get("lastFailure").asText()).isEqualTo("the CA refused the order: rate limited");
        assertThat(failed.get("failedRenewals").asInt()).isEqualTo(1);
        assertThat(Instant.parse(failed.get("nextRenewalAt").asText()))
                .isCloseTo(failedAt.plus(1, ChronoUnit.HOURS), within(30, ChronoUnit.SECONDS));
        assertThat(failed.get("serialNumber").asText()).isEqualTo("0d01");
    }

    @Test
    void aCertificateCloseToExpiryAndNotRenewedRaisesCertificateExpiringOnceADay() throws Exception {
        String id = newId();
        Instant notBefore = Instant.now().minus(60, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        Instant notAfter = Instant.now().plus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        topics.publish(request(id, Instant.now().plus(365, ChronoUnit.DAYS)));
        topics.publish(issued(id, "0e01", notBefore, notAfter));

        CertificateExpiring alert = topics.await(CertificateExpiring.class, e -> e.certificateId().equals(id), WAIT);

        assertThat(alert.daysLeft()).isBetween(2L, 3L);
        assertThat(alert.serialNumber()).isEqualTo("0e01");
        assertThat(alert.notAfter()).isEqualTo(notAfter);
        assertThat(alert.accountId()).isEqualTo("account-a");
        assertThat(alert.reason()).startsWith("serial 0e01 expires in ").contains("renewal due since");
        JsonNode alerted = awaitCertificate(id, c -> c.path("lastAlert").path("eventId").asText()
                .equals(alert.eventId().toString()));
        assertThat(alerted.get("lastAlert").get("kind").asText()).isEqualTo("EXPIRING");
        assertThat(alerted.get("lastAlert").get("serialNumber").asText()).isEqualTo("0e01");
        // the renewal itself is still started by the scheduler
        topics.await(RenewalDue.class, e -> e.certificateId().equals(id), WAIT);

        expiryWatch.run();
        expiryWatch.run();
        Thread.sleep(1500);
        assertThat(topics.all(CertificateExpiring.class)).filteredOn(e -> e.certificateId().equals(id)).hasSize(1);
    }

    @Test
    void theCasRenewalWindowPlansTheRenewal_andAMovedWindowMovesIt() {
        String id = newId();
        Instant notBefore = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        Instant windowStart = notBefore.plus(50, ChronoUnit.DAYS);
        Instant windowEnd = windowStart.plus(2, ChronoUnit.DAYS);
        topics.publish(request(id, Instant.now().plus(365, ChronoUnit.DAYS)));
        topics.publish(new CertificateIssued(UUID.randomUUID(), Instant.now(), "account-a", id, "att-0e01", "0e01",
                "ff0e01", notBefore, notBefore.plus(90, ChronoUnit.DAYS), List.of("www.hosted.example"), "CN=Test CA",
                "PEM", null, windowStart, windowEnd, "https://ca.test/docs/ari"));

        JsonNode hosted = awaitCertificate(id, c -> c.path("status").asText().equals("HOSTED"));
        assertThat(Instant.parse(hosted.get("nextRenewalAt").asText())).isBetween(windowStart, windowEnd);
        assertThat(hosted.get("renewalWindow").get("serialNumber").asText()).isEqualTo("0e01");
        assertThat(Instant.parse(hosted.get("renewalWindow").get("start").asText())).isEqualTo(windowStart);

        // the CA moves the window earlier: the stored renewal moves with it
        Instant earlierStart = Instant.now().plus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        topics.publish(new RenewalWindowChanged(UUID.randomUUID(), Instant.now(), "account-a", id, "0e01", earlierStart,
                earlierStart.plus(1, ChronoUnit.DAYS), "https://ca.test/incident", Instant.now()));
        JsonNode moved = awaitCertificate(id, c -> c.path("renewalWindow").path("start").asText().equals(earlierStart.toString()));
        assertThat(Instant.parse(moved.get("nextRenewalAt").asText()))
                .isBetween(earlierStart, earlierStart.plus(1, ChronoUnit.DAYS));

        // ... into the past (a mass revocation): renewed now, saying why
        topics.publish(new RenewalWindowChanged(UUID.randomUUID(), Instant.now(), "account-a", id, "0e01",
                Instant.now().minus(2, ChronoUnit.HOURS), Instant.now().minus(1, ChronoUnit.HOURS), "https://ca.test/incident",
                Instant.now()));
        RenewalDue due = topics.await(RenewalDue.class, e -> e.certificateId().equals(id), WAIT);
        assertThat(due.manual()).isFalse();
        assertThat(due.currentSerialNumber()).isEqualTo("0e01");
        assertThat(due.reason()).startsWith("inside the renewal window the CA suggests").contains("https://ca.test/incident");
    }

    @Test
    void aDomainThatLostItsVerificationIsShownUntilTheNextIssuance() {
        String id = newId();
        Instant notBefore = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        topics.publish(request(id, Instant.now().plus(365, ChronoUnit.DAYS)));
        topics.publish(issued(id, "0c01", notBefore, notBefore.plus(90, ChronoUnit.DAYS)));
        awaitCertificate(id, c -> c.path("status").asText().equals("HOSTED"));

        topics.publish(new DomainVerificationLost(UUID.randomUUID(), Instant.now(), "account-a", id,
                "www.hosted.example", "CNAME_DELEGATION", "WRONG_TARGET",
                "_acme-challenge.www.hosted.example. is a CNAME to old.example.net.", Instant.now()));
        JsonNode warned = awaitCertificate(id, c -> c.path("verificationWarnings").size() == 1);
        assertThat(warned.get("verificationWarnings").get(0).get("result").asText()).isEqualTo("WRONG_TARGET");
        assertThat(warned.get("status").asText()).isEqualTo("HOSTED");

        topics.publish(issued(id, "0c02", notBefore.plus(1, ChronoUnit.HOURS), notBefore.plus(91, ChronoUnit.DAYS)));
        awaitCertificate(id, c -> c.path("serialNumber").asText().equals("0c02")
                && c.path("verificationWarnings").isEmpty());
    }


    @Test
    void theListFiltersByStatusExpiryFailureAndDomain_aPageAtATime() {
        String prefix = "crt_list" + UUID.randomUUID().toString().substring(0, 6);
        Instant notBefore = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        for (int i = 0; i < 5; i++) {
            String id = prefix + "_" + i;
            topics.publish(new CertificateRequested(UUID.randomUUID(), Instant.now(), "account-list", id, "ord-" + id,
                    List.of("n" + i + ".list.example"), "dv-single", 1, Instant.now().plus(365, ChronoUnit.DAYS), i != 4,
                    null, null));
            topics.publish(new CertificateIssued(UUID.randomUUID(), Instant.now(), "account-list", id, "att-" + i, "0f0" + i,
                    "ff", notBefore, notBefore.plus(i == 0 ? 10 : 90, ChronoUnit.DAYS), List.of("n" + i + ".list.example"),
                    "CN=Test CA", "PEM", null));
        }
        // requests and issued events come on two topics, in either order: wait until both are applied for all five
        await().atMost(WAIT).untilAsserted(() -> assertThat(api().get("/api/v1/certificates?size=500", "key-list").json(200))
                .hasSize(5).allSatisfy(n -> {
                    assertThat(n.path("serialNumber").asText()).startsWith("0f0");
                    assertThat(n.path("orderId").asText()).startsWith("ord-");
                }));

        ApiClient.Response first = api().get("/api/v1/certificates?size=2", "key-list");
        assertThat(first.json(200)).hasSize(2);
        assertThat(first.header("X-Total-Count")).contains("5");
        String next = first.header("Link").orElseThrow();
        assertThat(next).contains("page=1").contains("size=2").endsWith("rel=\"next\"");
        ApiClient.Response last = api().get("/api/v1/certificates?size=2&page=2", "key-list");
        assertThat(last.json(200)).hasSize(1);
        assertThat(last.header("Link")).isEmpty();

        assertThat(api().get("/api/v1/certificates?status=ISSUED", "key-list").json(200))
                .extracting(n -> n.get("certificateId").asText()).containsExactly(prefix + "_4");
        assertThat(api().get("/api/v1/certificates?expiringWithinDays=30", "key-list").json(200))
                .extracting(n -> n.get("certificateId").asText()).containsExactly(prefix + "_0");
        assertThat(api().get("/api/v1/certificates?domain=N2.List.Example.", "key-list").json(200))
                .extracting(n -> n.get("certificateId").asText()).containsExactly(prefix + "_2");
        assertThat(api().get("/api/v1/certificates?failing=true", "key-list").json(200)).isEmpty();
        assertThat(api().get("/api/v1/certificates?status=HOSTED,ISSUED&size=500", "key-list").json(200)).hasSize(5);
        assertThat(api().get("/api/v1/certificates", "key-a").json(200))
                .extracting(n -> n.get("certificateId").asText()).noneMatch(id -> id.startsWith(prefix));

        fleetGauges.refresh();
        JsonNode issuedCount = api().get("/actuator/metrics/certflow.hosting.certificates?tag=status:ISSUED", null).json(200);
        assertThat(issuedCount.get("measurements").get(0).get("value").asDouble()).isGreaterThanOrEqualTo(1);
        JsonNode within30 = api().get("/actuator/metrics/certflow.hosting.days.to.expiry?tag=le:30", null).json(200);
        assertThat(within30.get("measurements").get(0).get("value").asDouble()).isGreaterThanOrEqualTo(1);

        api().get("/api/v1/certificates?status=SHINY", "key-list").assertProblem(400, "SHINY");
        api().get("/api/v1/certificates?size=501", "key-list").assertProblem(400, "size");
        api().get("/api/v1/certificates?page=-1", "key-list").assertProblem(400, "page");
        api().get("/api/v1/certificates?expiringWithinDays=-3", "key-list").assertProblem(400, "expiringWithinDays");
        api().get("/api/v1/certificates?size=abc", "key-list").assertProblem(400, "");
    }

    @Test
    void pausedHostingRenewsNothingUntilResumed() {
        String later = newId();
        Instant fresh = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        topics.publish(request(later, Instant.now().plus(365, ChronoUnit.DAYS)));
        topics.publish(issued(later, "0d11", fresh, fresh.plus(90, ChronoUnit.DAYS)));
        awaitCertificate(later, c -> c.path("status").asText().equals("HOSTED"));

        JsonNode paused = api().post("/api/v1/certificates/" + later + "/pause", "key-a",
                java.util.Map.of("reason", "migrating to another CA")).json(200);
        assertThat(paused.get("status").asText()).isEqualTo("PAUSED");
        assertThat(paused.get("paused").get("reason").asText()).isEqualTo("migrating to another CA");
        assertThat(paused.has("nextRenewalAt")).isFalse();
        assertThat(paused.get("renewalPlan").get(0).asText()).contains("paused");
        assertThat(api().post("/api/v1/certificates/" + later + "/pause", "key-a", "").json(200)
                .get("paused").get("reason").asText()).as("pausing again changes nothing").isEqualTo("migrating to another CA");
        api().post("/api/v1/certificates/" + later + "/pause", "key-b", "").assertProblem(404, "");
        api().post("/api/v1/certificates/" + later + "/pause", "key-a",
                java.util.Map.of("reason", "x".repeat(501))).assertProblem(400, "reason");

        JsonNode resumed = api().post("/api/v1/certificates/" + later + "/resume", "key-a", "").json(200);
        assertThat(resumed.get("status").asText()).isEqualTo("HOSTED");
        assertThat(resumed.has("paused")).isFalse();
        assertThat(resumed.has("nextRenewalAt")).isTrue();
        api().post("/api/v1/certificates/" + newId() + "/resume", "key-a", "").assertProblem(404, "");
    }

    @Test
    void maintenanceWindowsAreKeptPerAccountAndCheckedWhenSet() {
        String body = """
                {"windows": [{"days": ["SATURDAY", "SUNDAY"], "start": "02:00", "end": "06:00", "timeZone": "Europe/Berlin"}]}""";
        JsonNode saved = api().put("/api/v1/maintenance-windows", "key-mw", body).json(200);
        assertThat(saved.get("windows")).hasSize(1);
        JsonNode read = api().get("/api/v1/maintenance-windows", "key-mw").json(200);
        assertThat(read.get("windows").get(0).get("days")).extracting(JsonNode::asText).containsExactly("SATURDAY", "SUNDAY");
        assertThat(read.get("windows").get(0).get("timeZone").asText()).isEqualTo("Europe/Berlin");
        assertThat(api().get("/api/v1/maintenance-windows", "key-a").json(200).get("windows")).isEmpty();

        api().put("/api/v1/maintenance-windows", "key-mw", """
                {"windows": [{"days": [], "start": "02:00", "end": "02:00", "timeZone": "Mars/Olympus"}]}""")
                .assertProblem(400, "windows[0].days");
        api().put("/api/v1/maintenance-windows", "key-mw", """
                {"windows": [{"days": ["FUNDAY"], "start": "02:00", "end": "06:00", "timeZone": "UTC"}]}""")
                .assertProblem(400, "");
        api().put("/api/v1/maintenance-windows", "key-mw", """
                {"windows": [{"days": ["MONDAY"], "start": "25:00", "end": "06:00", "timeZone": "UTC"}]}""")
                .assertProblem(400, "");
        assertThat(api().get("/api/v1/maintenance-windows", "key-mw").json(200).get("windows")).hasSize(1);
        assertThat(api().put("/api/v1/maintenance-windows", "key-mw", "{\"windows\": []}").json(200).get("windows")).isEmpty();

        // each change is announced through the outbox, keyed by the account, with the whole list and a revision
        MaintenanceWindowsChanged first = topics.await(MaintenanceWindowsChanged.class,
                e -> e.accountId().equals("account-mw") && e.revision() == 1, WAIT);
        assertThat(first.windows()).singleElement().satisfies(w -> {
            assertThat(w.days()).containsExactly(java.time.DayOfWeek.SATURDAY, java.time.DayOfWeek.SUNDAY);
            assertThat(w.start()).isEqualTo(java.time.LocalTime.of(2, 0));
            assertThat(w.timeZone()).isEqualTo("Europe/Berlin");
        });
        MaintenanceWindowsChanged cleared = topics.await(MaintenanceWindowsChanged.class,
                e -> e.accountId().equals("account-mw") && e.revision() == 2, WAIT);
        assertThat(cleared.windows()).isEmpty();
        assertThat(topics.records(io.certflow.events.Topics.MAINTENANCE_WINDOWS_CHANGED))
                .filteredOn(r -> "account-mw".equals(r.key())).as("a refused PUT announces nothing").hasSize(2);
    }

    @Test
    void windowsSetBeforeTheyWereAnnouncedAreAnnouncedOnce() {
        // settings as hosting-service wrote them before it announced windows: no outbox, no revision
        io.certflow.hosting.maintenance.AccountSettings legacy = new io.certflow.hosting.maintenance.AccountSettings("account-legacy");
        legacy.setMaintenanceWindows(List.of(new io.certflow.events.v1.MaintenanceWindow(List.of(java.time.DayOfWeek.MONDAY),
                java.time.LocalTime.of(1, 0), java.time.LocalTime.of(3, 0), "UTC")), Instant.parse("2026-01-01T00:00:00Z"));
        org.bson.Document stored = new org.bson.Document();
        mongo.getConverter().write(legacy, stored);
        stored.remove("outbox");
        stored.remove("windowsRevision");
        stored.remove("accountId");
        stored.put("version", 3L);
        mongo.getCollection("account-settings").insertOne(stored);

        announcer.run(null);
        announcer.run(null);

        MaintenanceWindowsChanged announced = topics.await(MaintenanceWindowsChanged.class,
                e -> e.accountId().equals("account-legacy"), WAIT);
        assertThat(announced.revision()).isEqualTo(1);
        assertThat(announced.windows()).singleElement().satisfies(w -> assertThat(w.end()).isEqualTo(java.time.LocalTime.of(3, 0)));
        await().pollDelay(Duration.ofSeconds(1)).atMost(WAIT).until(() -> true);
        assertThat(topics.all(MaintenanceWindowsChanged.class)).filteredOn(e -> e.accountId().equals("account-legacy"))
                .as("announced once").hasSize(1);
    }

    private static String newId() {
        return "crt_it" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    private static CertificateRequested request(String id, Instant termEndsAt) {
        return new CertificateRequested(UUID.randomUUID(), Instant.now(), "account-a", id, "ord-" + id,
                List.of("www.hosted.example"), "dv-single", 1, termEndsAt, true, null, null);
    }

    private static CertificateIssued issued(String id, String serial, Instant notBefore, Instant notAfter) {
        return new CertificateIssued(UUID.randomUUID(), Instant.now(), "account-a", id, "att-" + serial, serial,
                "ff" + serial, notBefore, notAfter, List.of("www.hosted.example"), "CN=Test CA", "PEM", null);
    }

    private JsonNode awaitCertificate(String id, Predicate<JsonNode> matching) {
        AtomicReference<JsonNode> last = new AtomicReference<>();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            ApiClient.Response response = api().get("/api/v1/certificates/" + id, "key-a");
            JsonNode body = response.status() == 200 ? response.json() : null;
            last.set(body);
            assertThat(body != null && matching.test(body)).as("certificate %s: %s", id, response.body()).isTrue();
        });
        return last.get();
    }

    private JsonNode getCertificate(String id) {
        return api().get("/api/v1/certificates/" + id, "key-a").json(200);
    }

    /** POST of a renewal, which has no body. */
    private ApiClient.Response renew(String id, String apiKey) {
        return api().post("/api/v1/certificates/" + id + "/renew", apiKey, "");
    }

    private ApiClient api() {
        if (api == null) {
            api = ApiClient.onPort(port);
        }
        return api;
    }
}
