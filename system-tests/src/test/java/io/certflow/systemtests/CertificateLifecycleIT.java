package io.certflow.systemtests;

import io.certflow.devstack.BindProcess;
import io.certflow.devstack.Component;
import io.certflow.devstack.DemoFlow;
import io.certflow.devstack.PebbleBehaviour;
import io.certflow.devstack.ServiceProcess;
import io.certflow.devstack.StackConfig;
import io.certflow.events.Topics;
import io.certflow.events.v1.CertificateIssued;
import io.certflow.events.v1.DeploymentCompleted;
import io.certflow.testsupport.ApiClient;
import io.certflow.testsupport.TopicProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import org.bson.Document;
import org.xbill.DNS.Type;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole platform on real processes — Kafka (KRaft), the Mongo wire server, Pebble, BIND, nginx
 * and the five service jars — runs the demo: a purchase becomes a certificate served by nginx,
 * renewed and deployed again by itself; then every record of every topic is delivered once more and
 * nothing changes. Pebble runs at its defaults — a random delay before each validation and 5 % of
 * requests refused with {@code badNonce} — as a real CA may behave; {@link NonceRejectionIT} refuses half.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CertificateLifecycleIT {

    @TempDir
    static Path home;

    static PlatformUnderTest platform;
    static TopicProbe topics;
    static DemoFlow.Result demo;

    /** Per issuance: Pebble's validation delay plus badNonce retries stay far below it. */
    static final Duration ISSUANCE_TIMEOUT = Duration.ofSeconds(240);
    static final Duration DEPLOYMENT_TIMEOUT = Duration.ofSeconds(120);

    @BeforeAll
    static void startThePlatformAndRunTheDemo() {
        StackConfig config = StackConfig.forTests(home, Component.ALL)
                .withPebble(PebbleBehaviour.pebbleDefaults())
                .withServiceProperty(Component.HOSTING_SERVICE, "certflow.hosting.renewal-check-interval", "2s");
        platform = PlatformUnderTest.start(config);
        demo = new DemoFlow(config, System.out, StackConfig.DEMO_DOMAIN, ISSUANCE_TIMEOUT, DEPLOYMENT_TIMEOUT).run();
        topics = platform.topics();
        topics.await(DeploymentCompleted.class, d -> d.serialNumber().equals(demo.servedSerialAfter()), Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    @Order(1)
    void nginxServesTheIssuedCertificate() {
        CertificateIssued first = issued().get(0);

        assertThat(first.replacesSerialNumber()).isNull();
        assertThat(demo.servedSerialBefore()).isEqualTo(first.serialNumber());
        assertThat(demo.hostedSerialBefore()).isEqualTo(first.serialNumber());
        assertThat(first.certificateChainPem()).doesNotContain("PRIVATE KEY");
    }

    @Test
    @Order(2)
    void afterTheRenewalNginxServesTheNewCertificateDeployedByItself() {
        List<CertificateIssued> issued = issued();
        assertThat(issued).hasSize(2);
        CertificateIssued renewal = issued.get(1);

        assertThat(renewal.replacesSerialNumber()).isEqualTo(issued.get(0).serialNumber());
        assertThat(renewal.serialNumber()).isNotEqualTo(issued.get(0).serialNumber());
        assertThat(demo.servedSerialAfter()).isEqualTo(renewal.serialNumber());
        assertThat(demo.hostedSerialAfter()).isEqualTo(renewal.serialNumber());
        DeploymentCompleted redeployed = topics.await(DeploymentCompleted.class,
                d -> d.serialNumber().equals(renewal.serialNumber()), Duration.ofSeconds(30));
        assertThat(redeployed.trigger()).isEqualTo("RENEWAL");
        assertThat(redeployed.succeeded()).isTrue();
        assertThat(redeployed.results()).singleElement()
                .satisfies(r -> assertThat(r.servedSerialNumber()).isEqualTo(renewal.serialNumber()));
    }

    @Test
    @Order(3)
    void nothingWentToADeadLetterTopic() {
        platform.assertNothingDeadLettered();
    }

    @Test
    @Order(4)
    void noPrivateKeyOrCredentialInAnyLogOrRecord() throws Exception {
        List<String> secrets = List.of("PRIVATE KEY", ServiceProcess.keyEncryptionKey(platform.config()),
                platform.config().internalToken());
        try (var logs = Files.list(platform.config().logsDir())) {
            for (Path log : logs.toList()) {
                String text = Files.readString(log, StandardCharsets.ISO_8859_1);
                for (String secret : secrets) {
                    assertThat(text).as("%s must not contain a secret", log.getFileName()).doesNotContain(secret);
                }
            }
        }
        for (String topic : Topics.ALL) {
            for (var record : topics.records(topic)) {
                for (String secret : secrets) {
                    assertThat(record.value()).as("a record on %s", topic).doesNotContain(secret);
                }
            }
        }
    }

    @Test
    @Order(5)
    void deliveringEveryRecordOnceMoreChangesNothing() throws Exception {
        Map<String, Integer> before = countsPerTopic();
        int attemptsBefore = attempts();
        int jobsBefore = jobs();

        int republished = topics.republishAll(topic -> !topic.endsWith(Topics.DEAD_LETTER_SUFFIX));
        assertThat(republished).isEqualTo(before.values().stream().mapToInt(Integer::intValue).sum());
        Thread.sleep(20_000);

        Map<String, Integer> after = countsPerTopic();
        before.forEach((topic, count) -> assertThat(after.get(topic))
                .as("records on %s: each once more, nothing new", topic).isEqualTo(2 * count));
        assertThat(attempts()).as("issuance attempts (ACME orders)").isEqualTo(attemptsBefore).isEqualTo(2);
        assertThat(jobs()).as("deployment jobs").isEqualTo(jobsBefore).isEqualTo(2);
        assertThat(topics.all(CertificateIssued.class).stream().map(CertificateIssued::eventId).distinct()).hasSize(2);
    }

    @Test
    @Order(6)
    void aDomainUnderTheAccountsDnsProviderIsIssuedWithoutItsOwnerTouchingDns() throws Exception {
        StackConfig config = platform.config();
        BindProcess bind = new BindProcess(config);
        String tsigSecret = bind.tsigSecret();
        ApiClient verification = new ApiClient(config.serviceUrl(Component.VERIFICATION_SERVICE));
        String domain = "auto." + StackConfig.DEMO_DOMAIN.substring(StackConfig.DEMO_DOMAIN.indexOf('.') + 1);
        String credentialId = verification.post("/api/v1/dns-credentials", config.apiKey(), Map.of(
                        "name", "the demo zone's BIND", "provider", "RFC2136",
                        "settings", Map.of("server", "127.0.0.1:" + config.ports().bind(),
                                "keyName", BindProcess.TSIG_KEY_NAME),
                        "secrets", Map.of("tsigSecret", tsigSecret)))
                .json(201).get("id").asText();
        verification.put("/api/v1/domains/" + domain + "/method", config.apiKey(),
                Map.of("method", "DNS_PROVIDER", "credentialId", credentialId)).json(200);
        assertThat(verification.post("/api/v1/domains/" + domain + "/verify", config.apiKey(), "").json(200)
                .get("result").asText()).isEqualTo("VERIFIED");

        String certificateId = new ApiClient(config.serviceUrl(Component.ORDER_SERVICE)).post("/api/v1/orders",
                        config.apiKey(), Map.of("domains", List.of(domain, "*." + domain), "product", "dv-wildcard",
                                "termYears", 1))
                .json(201).get("certificateId").asText();
        CertificateIssued issued = topics.await(CertificateIssued.class, e -> e.certificateId().equals(certificateId),
                ISSUANCE_TIMEOUT);
        assertThat(issued.domains()).containsExactlyInAnyOrder(domain, "*." + domain);

        String name = "_acme-challenge." + domain + ".";
        Instant deadline = Instant.now().plusSeconds(30);
        while (!bind.query(name, Type.TXT).isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }
        assertThat(bind.query(name, Type.TXT)).as("the challenge values are removed from the zone").isEmpty();

        List<String> secrets = List.of(tsigSecret, ServiceProcess.verificationKeyEncryptionKey(config),
                ServiceProcess.deploymentKeyEncryptionKey(config));
        try (var logs = Files.list(config.logsDir())) {
            for (Path log : logs.toList()) {
                String text = Files.readString(log, StandardCharsets.ISO_8859_1);
                secrets.forEach(secret -> assertThat(text).as("%s", log.getFileName()).doesNotContain(secret));
            }
        }
        for (String topic : Topics.ALL) {
            for (var record : topics.records(topic)) {
                secrets.forEach(secret -> assertThat(record.value()).as("a record on %s", topic).doesNotContain(secret));
            }
        }
    }

    /**
     * After the whole lifecycle (and the DNS-provider case, which stored a TSIG secret): no API response of any service
     * holds key material or a credential, and no document of any service's database holds one in the clear — private
     * keys, ACME account keys, DNS and target credentials are sealed at rest.
     */
    @Test
    @Order(7)
    void noSecretInAnyApiResponse_andEverySecretIsSealedAtRest() throws Exception {
        StackConfig config = platform.config();
        // (the demo API key "demo-key" is not searched for: it is part of the demo zone's TSIG key name; services
        // hold only its SHA-256)
        List<String> secrets = List.of("PRIVATE KEY", new BindProcess(config).tsigSecret(), config.internalToken(),
                ServiceProcess.keyEncryptionKey(config),
                ServiceProcess.verificationKeyEncryptionKey(config), ServiceProcess.deploymentKeyEncryptionKey(config));

        Map<String, String> responses = ApiCrawl.everyReadableResource(config);
        assertThat(responses).as("pages read").hasSizeGreaterThan(20);
        responses.forEach((url, body) -> secrets.forEach(secret ->
                assertThat(body).as("GET %s", url).doesNotContain(secret)));

        int documents = 0;
        try (MongoClient mongo = MongoClients.create("mongodb://127.0.0.1:" + config.ports().mongo())) {
            for (Component service : Component.SERVICES) {
                MongoDatabase database = mongo.getDatabase("certflow-" + service.shortName());
                for (String collection : database.listCollectionNames()) {
                    for (Document document : database.getCollection(collection).find()) {
                        String json = document.toJson();
                        documents++;
                        assertThat(json).as("%s.%s", database.getName(), collection)
                                .doesNotContainPattern("-----BEGIN [A-Z ]*PRIVATE KEY");
                        secrets.forEach(secret -> assertThat(json).as("%s.%s", database.getName(), collection)
                                .doesNotContain(secret));
                    }
                }
            }
        }
        assertThat(documents).as("documents read").isGreaterThan(10);
    }

    /**
     * The alerts and the dashboard of {@code deploy/} are not fiction: every metric their expressions read is served on
     * {@code /actuator/prometheus} (without a key) by the services that just took a certificate through its life —
     * {@code up} aside, which Prometheus makes itself, and the console's own. The scrapes carry no secret.
     */
    @Test
    @Order(8)
    void everyMetricTheAlertsAndTheDashboardReadIsServedByTheServices() throws Exception {
        StackConfig config = platform.config();
        List<String> secrets = List.of(config.apiKey(), config.internalToken(), ServiceProcess.keyEncryptionKey(config),
                ServiceProcess.verificationKeyEncryptionKey(config), ServiceProcess.deploymentKeyEncryptionKey(config));
        Map<Component, java.util.Set<String>> served = new java.util.EnumMap<>(Component.class);
        for (Component service : Component.SERVICES) {
            ApiClient.Response scrape = platform.api(service).get("/actuator/prometheus", null);
            assertThat(scrape.status()).as("%s /actuator/prometheus", service).isEqualTo(200);
            assertThat(scrape.contentType()).startsWith("text/plain");
            secrets.forEach(secret -> assertThat(scrape.body()).as("%s metrics", service).doesNotContain(secret));
            served.put(service, MonitoringFiles.servedNames(scrape.body()));
        }
        java.util.Set<String> all = new java.util.TreeSet<>();
        served.values().forEach(all::addAll);

        java.util.Set<String> read = new java.util.TreeSet<>();
        MonitoringFiles.alertExpressions().forEach(e -> read.addAll(MonitoringFiles.metricNames(e)));
        MonitoringFiles.dashboardExpressions().forEach(e -> read.addAll(MonitoringFiles.metricNames(e)));
        read.remove("up");
        assertThat(read).containsAll(MonitoringFiles.CONSOLE_METRICS);
        read.removeAll(MonitoringFiles.CONSOLE_METRICS); // served by the console, which the system tests do not run

        assertThat(read).hasSizeGreaterThan(10);
        assertThat(all).as("metrics served by the five services").containsAll(read);
        served.forEach((service, names) -> assertThat(names).as("%s", service)
                .contains("certflow_events_published_total", "certflow_events_consumed_total",
                        "certflow_events_dead_letters_total", "kafka_consumer_fetch_manager_records_lag_max",
                        "jvm_memory_used_bytes"));
        assertThat(served.get(Component.HOSTING_SERVICE)).contains("certflow_hosting_certificates",
                "certflow_hosting_days_to_expiry", "certflow_hosting_renewals_started_total");
        assertThat(served.get(Component.DEPLOYMENT_SERVICE)).contains("certflow_deployment_jobs_finished_total");
        assertThat(served.get(Component.ISSUANCE_SERVICE)).contains("resilience4j_circuitbreaker_state");
    }

    /** Every service describes its API at {@code /v3/api-docs} — its own paths, never {@code /internal/**} — and shows it. */
    @Test
    @Order(9)
    void everyServicePublishesItsApiDocs_withoutTheInternalApi_andAnswersTheSwaggerUi() {
        Map<Component, String> mainPaths = Map.of(Component.ORDER_SERVICE, "/api/v1/orders",
                Component.VERIFICATION_SERVICE, "/api/v1/domains/{domain}/verify",
                Component.ISSUANCE_SERVICE, "/api/v1/certificates/{certificateId}/attempts",
                Component.HOSTING_SERVICE, "/api/v1/certificates",
                Component.DEPLOYMENT_SERVICE, "/api/v1/deployment-jobs/{jobId}");
        mainPaths.forEach((service, mainPath) -> {
            ApiClient api = platform.api(service);
            com.fasterxml.jackson.databind.JsonNode docs = api.get("/v3/api-docs", null).json(200);
            List<String> paths = new java.util.ArrayList<>();
            docs.path("paths").fieldNames().forEachRemaining(paths::add);

            assertThat(docs.path("info").path("title").asText()).isEqualTo(service.id());
            assertThat(paths).as("%s documents", service).contains(mainPath).allMatch(p -> p.startsWith("/api/"));
            assertThat(docs.findValuesAsText("name")).as("the caller's account comes from the key, it is no parameter")
                    .doesNotContain("keyName", "account");
            assertThat(docs.path("components").path("securitySchemes").path("apiKey").path("name").asText())
                    .isEqualTo("X-Api-Key");
            ApiClient.Response ui = api.get("/swagger-ui/index.html", null);
            assertThat(ui.status()).as("%s Swagger UI", service).isEqualTo(200);
            assertThat(ui.contentType()).startsWith("text/html");
        });
        ApiClient issuance = platform.api(Component.ISSUANCE_SERVICE);
        assertThat(issuance.get("/v3/api-docs", null).body()).doesNotContain("/internal");
    }

    private static List<CertificateIssued> issued() {
        return topics.all(CertificateIssued.class).stream()
                .filter(e -> e.certificateId().equals(demo.certificateId()))
                .collect(java.util.stream.Collectors.toMap(CertificateIssued::eventId, e -> e, (a, b) -> a,
                        java.util.LinkedHashMap::new))
                .values().stream().toList();
    }

    private static Map<String, Integer> countsPerTopic() {
        Map<String, Integer> counts = new TreeMap<>();
        for (String topic : Topics.ALL) {
            counts.put(topic, topics.records(topic).size());
        }
        return counts;
    }

    private static int attempts() throws Exception {
        return platform.count(Component.ISSUANCE_SERVICE, "/api/v1/certificates/" + demo.certificateId() + "/attempts");
    }

    private static int jobs() throws Exception {
        return platform.count(Component.DEPLOYMENT_SERVICE, "/api/v1/deployment-jobs?certificateId=" + demo.certificateId());
    }

}
