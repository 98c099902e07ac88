package io.certflow.console.browser;

import io.certflow.devstack.BindProcess;
import io.certflow.devstack.Component;
import io.certflow.devstack.ServiceProcess;
import io.certflow.events.CloudEventHeaders;
import io.certflow.events.EventType;
import io.certflow.events.Topics;
import io.certflow.devstack.Stack;
import io.certflow.devstack.StackConfig;
import io.certflow.devstack.TlsProbe;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console used as a person uses it, in headless Chromium, against the whole platform on real processes
 * (Kafka, the Mongo wire server, BIND, Pebble, nginx, the five services and the console jar, on free ports): sign
 * in, buy a certificate, read the DNS instructions, add the CNAME they show at the "DNS provider" (the stack's
 * BIND), press Verify and read the diagnosis, watch the certificate become HOSTED, deploy it to nginx with the
 * wizard and read the job's result per resource, renew it and see the new serial deployed again by itself, and read
 * its timeline; then, as an operator, read the topic dashboards (the issued events, the consumer groups) and replay
 * a dead letter; last, connect the stack's nginx in the wizard and let it discover its server block, and give the
 * stack's BIND as a DNS provider and buy a certificate it verifies with no CNAME added — with forms, never JSON.
 * Screenshots of the main pages go to {@code target/screenshots/}; a failing step leaves a screenshot and the page
 * source in {@code target/browser-failures/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(ConsoleBrowserIT.SaveThePageOnFailure.class)
class ConsoleBrowserIT {
    static final Duration PAGE = Duration.ofSeconds(30);
    static final Duration ISSUANCE = Duration.ofSeconds(180);
    static final String DOMAIN = StackConfig.DEMO_DOMAIN;
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    /** The stack's TSIG key, written before BIND starts: an obviously fake value (base64 of "fake-tsig-secret-for-console-tests"). */
    static final String FAKE_TSIG_SECRET = "ZmFrZS10c2lnLXNlY3JldC1mb3ItY29uc29sZS10ZXN0cw==";

    @TempDir
    static Path home;
    @TempDir
    static Path profile;

    static Stack stack;
    static Browser browser;
    static String console;

    @BeforeAll
    static void startThePlatformTheConsoleAndABrowser() throws Exception {
        StackConfig config = StackConfig.forTests(home, Component.WITH_CONSOLE)
                .withServiceProperty(Component.HOSTING_SERVICE, "certflow.hosting.renewal-check-interval", "2s");
        Path tsig = config.dataDir().resolve("bind").resolve("tsig.secret");
        Files.createDirectories(tsig.getParent());
        Files.writeString(tsig, FAKE_TSIG_SECRET + "\n");
        stack = Stack.start(config);
        console = stack.console().baseUrl() + "/";
        browser = new Browser(profile);
    }

    @AfterAll
    static void stop() {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            if (stack != null) {
                stack.close();
            }
        }
    }

    @Test
    @Order(1)
    void aWrongKeyIsRefusedAndTheDemoKeySignsIn() {
        browser.open(console);
        signInWith("not-a-key");
        assertThat(browser.awaitText(".error", "This API key was not accepted.", PAGE)).isNotEmpty();

        browser.screenshot(SCREENSHOTS.resolve("sign-in.png"));
        signInWith(StackConfig.DEMO_API_KEY);

        assertThat(browser.awaitText("#certificates", "No certificates yet", PAGE)).isNotEmpty();
        assertThat(browser.driver().getCurrentUrl()).doesNotContain(StackConfig.DEMO_API_KEY);
    }

    @Test
    @Order(2)
    void buyingACertificateShowsTheCnameToAdd() {
        browser.click("a[href='#/buy']");
        browser.awaitText("h1", "Buy a certificate", PAGE);
        new Select(browser.find("#product")).selectByValue("dv-single");
        browser.find("#domains").sendKeys(DOMAIN);
        new Select(browser.find("#method")).selectByValue("CNAME_DELEGATION");
        browser.screenshot(SCREENSHOTS.resolve("buy.png"));
        browser.click("#buy");

        browser.awaitText("h1", "Verify your domains", PAGE);
        String card = browser.awaitText("section.domain", "Value / target", PAGE);
        assertThat(card).contains(DOMAIN).contains("_acme-challenge.www").contains("CNAME").contains("acme.certflow.test.");
        assertThat(browser.text("section.domain [data-field=name]")).isEqualTo("_acme-challenge." + DOMAIN + ".");
        assertThat(browser.driver().findElements(By.cssSelector("section.domain button.copy"))).hasSize(3);
    }

    @Test
    @Order(3)
    void verifyShowsWhatIsMissingThenVerifiedOnceTheCnameIsThere() {
        browser.click("button.verify");
        String before = browser.awaitText(".diagnosis", "Expected", PAGE);
        assertThat(before).doesNotContain("VERIFIED").contains(recordValue());

        // the owner adds what the page says at their DNS provider: here, the stack's BIND
        stack.bind().addCname(browser.text("section.domain [data-field=name]"), recordValue());
        browser.click("button.verify");

        String after = browser.awaitText(".diagnosis", "VERIFIED", PAGE);
        assertThat(after).contains(recordValue());
        browser.awaitText("#certificate-verification", "VERIFIED", ISSUANCE);
        browser.screenshot(SCREENSHOTS.resolve("dns-instructions.png"));
    }

    @Test
    @Order(4)
    void theCertificateBecomesHostedInTheList() {
        browser.click("a[data-nav=certificates]");
        String row = browser.awaitText("#certificates tbody tr", "HOSTED", ISSUANCE);

        assertThat(row).contains(DOMAIN);
        assertThat(browser.text("#certificates tbody tr td.mono")).matches("[0-9a-f]{8,}");
        browser.screenshot(SCREENSHOTS.resolve("certificates.png"));
    }

    @Test
    @Order(5)
    void theWizardDeploysItToNginxAndShowsTheResultPerResource() throws Exception {
        browser.click("#certificates tbody tr a");
        browser.awaitText("#status", "HOSTED", PAGE);
        String hostedSerial = browser.text("#serial");
        browser.click("#deploy");

        browser.awaitText("#cloud-services", "nginx", PAGE);
        browser.click("#cloud-services li[data-type=nginx] button");
        browser.awaitText("#resources", "No resource of this type yet.", PAGE);
        var nginx = stack.nginx();
        browser.find("#resource-name").sendKeys("demo-nginx");
        browser.find("#resource-config").sendKeys(new ObjectMapper().writeValueAsString(Map.of(
                "certificatePath", nginx.certificatePath().toString(), "keyPath", nginx.keyPath().toString(),
                "reloadCommand", nginx.reloadCommand(), "tlsAddress", nginx.tlsAddress(), "serverName", nginx.serverName())));
        browser.click("#add-resource button[type=submit]");

        assertThat(browser.awaitText("#resource-list", "demo-nginx", PAGE)).contains("COVERED").contains(DOMAIN);
        assertThat(browser.awaitText("#cloud-services li[data-type=nginx]", "1 covered", PAGE)).isNotEmpty();
        browser.click("#preview-task");
        String preview = browser.awaitText("#preview", "REPLACE", PAGE);
        assertThat(preview).contains("demo-nginx").contains(hostedSerial);
        browser.scrollTo("#resources");
        browser.screenshot(SCREENSHOTS.resolve("deploy-wizard.png"));

        browser.click("#submit-task");
        String job = browser.awaitText("#job", "SUCCEEDED", ISSUANCE);
        assertThat(job).contains("demo-nginx").contains("DEPLOYED");
        String served = browser.text("#job .job-results tbody td.mono");
        assertThat(TlsProbe.normalizeSerial(served)).isEqualTo(TlsProbe.normalizeSerial(hostedSerial));
        assertThat(TlsProbe.normalizeSerial(TlsProbe.servedSerialHex("127.0.0.1", nginx.port(), nginx.serverName())))
                .as("what nginx serves now").isEqualTo(TlsProbe.normalizeSerial(hostedSerial));
        browser.scrollTo("#preview");
        browser.screenshot(SCREENSHOTS.resolve("deploy-job.png"));
    }

    @Test
    @Order(6)
    void renewingItShowsTheNewSerialDeployedAgainByItself() {
        browser.click("a[data-nav=certificates]");
        browser.awaitText("#certificates tbody tr", "HOSTED", PAGE);
        browser.click("#certificates tbody tr a");
        browser.awaitText("#status", "HOSTED", PAGE);
        String firstSerial = browser.text("#serial");
        assertThat(browser.text("#versions")).contains(firstSerial);

        browser.click("#renew");
        browser.awaitText("Renewal started", PAGE);
        String newSerial = browser.until(d -> {
            String serial = d.findElement(By.id("serial")).getText();
            return serial.matches("[0-9a-f]{8,}") && !serial.equals(firstSerial) ? serial : null;
        }, ISSUANCE);

        String attempts = browser.awaitText("#attempts", "ISSUED", PAGE);
        assertThat(attempts).contains("MANUAL").contains(firstSerial).contains(newSerial);
        assertThat(browser.text("#versions")).contains(firstSerial).contains(newSerial);
        String renewalJob = browser.until(d -> d.findElements(By.cssSelector("#jobs .job")).stream()
                .map(e -> e.getText()).filter(t -> t.contains("RENEWAL") && t.contains("DEPLOYED")).findFirst()
                .orElse(null), ISSUANCE);
        assertThat(renewalJob).contains("SUCCEEDED").contains("demo-nginx").contains(newSerial);
        browser.awaitText("#status", "HOSTED", PAGE);
        browser.screenshot(SCREENSHOTS.resolve("certificate.png"));
    }

    @Test
    @Order(7)
    void theTimelineShowsEveryEventOfTheCertificate_theAcmeChallengesIncluded() {
        String serial = browser.text("#serial");
        browser.click("a[href$='/timeline']");

        String timeline = browser.awaitText("#timeline", "(RENEWAL)", PAGE);
        assertThat(browser.text("#timeline-source")).contains("events from the topics");
        assertThat(timeline).contains("CertificateRequested").contains("Certificate requested for " + DOMAIN)
                .contains("Domains verified: " + DOMAIN)
                .contains("ACME challenge: 1 TXT record(s) to publish, _acme-challenge." + DOMAIN)
                .contains("Challenge records published and seen on the authoritative servers")
                .contains("Version " + serial + " issued by").contains("RenewalDue").contains("asked by hand")
                .contains("(SUBMIT) to demo-nginx").contains("(RENEWAL) to demo-nginx");
        // the first issuance and the renewal each went through their own ACME challenge
        assertThat(browser.driver().findElements(By.cssSelector("#timeline li[data-event=ChallengeRequested]")))
                .hasSizeGreaterThanOrEqualTo(2);
        browser.screenshot(SCREENSHOTS.resolve("timeline.png"));
    }

    @Test
    @Order(8)
    void anOperatorSeesTheTopicsTheGroupsAndADeadLetterAndReplaysIt() throws Exception {
        publishUnreadableDomainsVerified();
        browser.open(console + "ops/");
        var key = browser.find("#key-input");
        key.sendKeys(StackConfig.DEMO_OPERATOR_KEY);
        browser.click("#key-submit");
        browser.awaitText("#live-status", "live", PAGE);

        // the certificate of the steps above was issued twice: its first version and the renewal
        assertThat(browser.awaitText("tr[data-test=topic-row][data-topic='" + Topics.CERTIFICATE_ISSUED
                + "'] [data-test=topic-total]", "2", PAGE)).isEqualTo("2");
        assertThat(browser.awaitText("#groups", "lag", PAGE)).contains(Topics.CERTIFICATE_ISSUED);
        browser.screenshot(SCREENSHOTS.resolve("operators.png"));

        String dlt = "tr[data-test=dlt-row][data-topic='" + Topics.DOMAINS_VERIFIED + "-dlt']";
        assertThat(browser.awaitText(dlt + " [data-test=dlt-depth]", "1", PAGE)).isEqualTo("1");
        browser.click(dlt + " [data-test=dlt-toggle]");
        assertThat(browser.awaitText("[data-test=dlt-reason]", "not JSON", PAGE))
                .isEqualTo("unreadable DomainsVerified: the value is not JSON");
        browser.scrollTo("#dlt-title");
        browser.screenshot(SCREENSHOTS.resolve("dead-letters.png"));

        browser.click("[data-test=dlt-replay]");
        assertThat(browser.awaitText("#replay-target", Topics.DOMAINS_VERIFIED, PAGE)).isEqualTo(Topics.DOMAINS_VERIFIED);
        browser.click("#replay-confirm");
        assertThat(browser.awaitText("#notice", "Replayed to " + Topics.DOMAINS_VERIFIED, PAGE)).isNotEmpty();
        assertThat(browser.awaitText("[data-test=dlt-replayed]", "replayed", PAGE))
                .contains("by " + ServiceProcess.OPERATOR_KEY_NAME);
        // still unreadable: issuance-service dead-letters the copy again, and the page says whose copy it is
        assertThat(browser.awaitText(dlt + " [data-test=dlt-depth]", "2", PAGE)).isEqualTo("2");
    }

    @Test
    @Order(9)
    void connectionsDiscoverNginxForTheWizardAndADnsProviderVerifiesWithoutACname() {
        // the wizard: nginx through a connection whose discovery lists its server blocks (nginx -T)
        browser.open(console + "#/certificates");
        browser.awaitText("#certificates tbody tr", "HOSTED", PAGE);
        browser.click("#certificates tbody tr a");
        browser.click("#deploy");
        browser.awaitText("#cloud-services", "nginx", PAGE);
        browser.click("#cloud-services li[data-type=nginx] button");
        browser.awaitText("#service-connections", "Connect it once", PAGE);
        browser.click("#connect-account");
        var nginx = stack.nginx();
        browser.find("#connect-name").sendKeys("stack nginx");
        browser.find("#connect-configPath").sendKeys(nginx.confFile().toString());
        browser.find("#connect-binary").sendKeys(nginx.reloadCommandArgs().get(0));
        browser.find("#connect-prefix").sendKeys(nginx.prefix().toString());
        browser.click("#connect-form button[type=submit]");
        browser.awaitText("#service-connections", "Never discovered", PAGE);
        browser.click("#service-connections button.discover-resources");

        String discovered = browser.awaitText("#resource-card .discovery", "added", PAGE);
        assertThat(discovered).contains("1 found").contains("1 added").contains(nginx.serverName());
        String block = nginx.serverName() + ":" + nginx.port();
        String row = browser.awaitText("#resource-list tbody tr", block, PAGE);
        assertThat(row).contains(nginx.serverName()).contains("COVERED");
        assertThat(browser.awaitText("#cloud-services li[data-type=nginx]", "2 covered", PAGE)).contains("2 · 2 covered");
        assertThat(browser.text("#service-connections")).contains("stack nginx").contains("configPath")
                .contains("Last discovery");

        browser.click("a[data-nav=connections]");
        String connection = browser.awaitText("#connection-list tr[data-type=nginx]", "stack nginx", PAGE);
        assertThat(connection).contains("SUCCEEDED");
        browser.click("#connection-list tr[data-type=nginx] button.discover");
        assertThat(browser.awaitText("#connection-list .discovery", "updated", PAGE)).contains("1 updated").contains(block);
        browser.screenshot(SCREENSHOTS.resolve("connections.png"));

        // a DNS provider: the stack's BIND takes RFC 2136 updates signed with its TSIG key
        browser.click("a[data-nav=dns-providers]");
        browser.awaitText("#add-dns-credential", "RFC 2136", PAGE);
        new Select(browser.find("#dns-provider")).selectByValue("RFC2136");
        browser.find("#dns-name").sendKeys("stack BIND");
        browser.find("#dns-server").sendKeys(stack.bind().address());
        browser.find("#dns-keyName").sendKeys(BindProcess.TSIG_KEY_NAME);
        browser.find("#dns-tsigSecret").sendKeys(stack.bind().tsigSecret());
        browser.click("#dns-form button[type=submit]");
        assertThat(browser.awaitText("#dns-credential-list", "stack BIND", PAGE)).contains("tsigSecret")
                .contains("RFC 2136");
        assertThat(browser.driver().getPageSource().contains(FAKE_TSIG_SECRET)).as("the TSIG secret is in the page")
                .isFalse();
        assertThat(browser.driver().findElements(By.cssSelector("input[type=password]")).stream()
                .map(e -> e.getDomProperty("value")).filter(v -> v != null && !v.isEmpty()).count())
                .as("password inputs holding a value").isZero();

        // buying with the DNS provider method: verified through BIND, nothing added by hand
        String name = "auto." + StackConfig.DEMO_ZONE.substring(0, StackConfig.DEMO_ZONE.length() - 1);
        browser.click("a[href='#/buy']");
        browser.awaitText("h1", "Buy a certificate", PAGE);
        new Select(browser.find("#product")).selectByValue("dv-single");
        browser.find("#domains").sendKeys(name);
        new Select(browser.find("#method")).selectByValue("DNS_PROVIDER");
        assertThat(new Select(browser.find("#dns-credential")).getFirstSelectedOption().getText()).contains("stack BIND");
        browser.click("#buy");
        browser.awaitText("h1", "Verify your domains", PAGE);
        assertThat(browser.awaitText("section.domain", "stack BIND", PAGE)).contains("nothing to add by hand");
        browser.awaitText("#certificate-verification", "VERIFIED", ISSUANCE);
        assertThat(stack.bind().query("_acme-challenge." + name + ".", org.xbill.DNS.Type.CNAME)).as("no CNAME").isEmpty();
        assertThat(browser.driver().getPageSource().contains(FAKE_TSIG_SECRET)).isFalse();
    }

    /** What a broken publisher might send: CloudEvents headers right, the value not JSON. */
    private static void publishUnreadableDomainsVerified() throws Exception {
        Map<String, Object> settings = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.config().kafkaBootstrapServers(), ProducerConfig.ACKS_CONFIG, "all");
        try (var producer = new KafkaProducer<>(settings, new StringSerializer(), new StringSerializer())) {
            var record = new ProducerRecord<String, String>(Topics.DOMAINS_VERIFIED, "crt_broken", "not json");
            record.headers().add(CloudEventHeaders.SPEC_VERSION, bytes(CloudEventHeaders.SPEC_VERSION_1_0))
                    .add(CloudEventHeaders.ID, bytes(UUID.randomUUID().toString()))
                    .add(CloudEventHeaders.TYPE, bytes(EventType.DOMAINS_VERIFIED.ceType()))
                    .add(CloudEventHeaders.SOURCE, bytes("/broken-publisher"))
                    .add(CloudEventHeaders.CONTENT_TYPE, bytes(CloudEventHeaders.JSON));
            producer.send(record).get();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void signInWith(String key) {
        var field = browser.find("#api-key");
        field.clear();
        field.sendKeys(key);
        browser.click("#sign-in button[type=submit]");
    }

    private static String recordValue() {
        return browser.text("section.domain [data-field=value]");
    }

    /** Leaves the page as it was when a step failed: a screenshot and the HTML, named after the test. */
    static class SaveThePageOnFailure implements TestWatcher {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (browser == null) {
                return;
            }
            Path dir = Path.of("target", "browser-failures");
            String name = context.getRequiredTestMethod().getName();
            try {
                browser.screenshot(dir.resolve(name + ".png"));
                browser.savePageSource(dir.resolve(name + ".html"));
            } catch (RuntimeException e) {
                cause.addSuppressed(e);
            }
        }
    }
}
