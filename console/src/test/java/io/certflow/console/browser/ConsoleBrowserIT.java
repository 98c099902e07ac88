package io.certflow.console.browser;

import io.certflow.devstack.Component;
import io.certflow.devstack.Stack;
import io.certflow.devstack.StackConfig;
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
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console used as a person uses it, in headless Chromium, against the whole platform on real processes
 * (Kafka, the Mongo wire server, BIND, Pebble, nginx, the five services and the console jar, on free ports): sign
 * in, buy a certificate, read the DNS instructions, add the CNAME they show at the "DNS provider" (the stack's
 * BIND), press Verify and read the diagnosis, watch the certificate become HOSTED, renew it and see the new serial.
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

    @TempDir
    static Path home;
    @TempDir
    static Path profile;

    static Stack stack;
    static Browser browser;
    static String console;

    @BeforeAll
    static void startThePlatformTheConsoleAndABrowser() {
        StackConfig config = StackConfig.forTests(home, Component.WITH_CONSOLE)
                .withServiceProperty(Component.HOSTING_SERVICE, "certflow.hosting.renewal-check-interval", "2s");
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
        browser.find("a[href='#/buy']").click();
        browser.awaitText("h1", "Buy a certificate", PAGE);
        new Select(browser.find("#product")).selectByValue("dv-single");
        browser.find("#domains").sendKeys(DOMAIN);
        new Select(browser.find("#method")).selectByValue("CNAME_DELEGATION");
        browser.screenshot(SCREENSHOTS.resolve("buy.png"));
        browser.find("#buy").click();

        browser.awaitText("h1", "Verify your domains", PAGE);
        String card = browser.awaitText("section.domain", "Value / target", PAGE);
        assertThat(card).contains(DOMAIN).contains("_acme-challenge.www").contains("CNAME").contains("acme.certflow.test.");
        assertThat(browser.find("section.domain [data-field=name]").getText()).isEqualTo("_acme-challenge." + DOMAIN + ".");
        assertThat(browser.driver().findElements(By.cssSelector("section.domain button.copy"))).hasSize(3);
    }

    @Test
    @Order(3)
    void verifyShowsWhatIsMissingThenVerifiedOnceTheCnameIsThere() {
        browser.find("button.verify").click();
        String before = browser.awaitText(".diagnosis", "Expected", PAGE);
        assertThat(before).doesNotContain("VERIFIED").contains(recordValue());

        // the owner adds what the page says at their DNS provider: here, the stack's BIND
        stack.bind().addCname(browser.find("section.domain [data-field=name]").getText(), recordValue());
        browser.find("button.verify").click();

        String after = browser.awaitText(".diagnosis", "VERIFIED", PAGE);
        assertThat(after).contains(recordValue());
        browser.awaitText("#certificate-verification", "VERIFIED", ISSUANCE);
        browser.screenshot(SCREENSHOTS.resolve("dns-instructions.png"));
    }

    @Test
    @Order(4)
    void theCertificateBecomesHostedInTheList() {
        browser.find("a[data-nav=certificates]").click();
        String row = browser.awaitText("#certificates tbody tr", "HOSTED", ISSUANCE);

        assertThat(row).contains(DOMAIN);
        assertThat(browser.find("#certificates tbody tr td.mono").getText()).matches("[0-9a-f]{8,}");
        browser.screenshot(SCREENSHOTS.resolve("certificates.png"));
    }

    @Test
    @Order(5)
    void renewingItShowsTheNewSerial() {
        browser.find("#certificates tbody tr a").click();
        browser.awaitText("#status", "HOSTED", PAGE);
        String firstSerial = browser.find("#serial").getText();
        assertThat(browser.find("#versions").getText()).contains(firstSerial);

        browser.find("#renew").click();
        browser.awaitText("Renewal started", PAGE);
        String newSerial = browser.until(d -> {
            String serial = d.findElement(By.id("serial")).getText();
            return serial.matches("[0-9a-f]{8,}") && !serial.equals(firstSerial) ? serial : null;
        }, ISSUANCE);

        String attempts = browser.awaitText("#attempts", "ISSUED", PAGE);
        assertThat(attempts).contains("MANUAL").contains(firstSerial).contains(newSerial);
        assertThat(browser.find("#versions").getText()).contains(firstSerial).contains(newSerial);
        browser.awaitText("#status", "HOSTED", PAGE);
        browser.screenshot(SCREENSHOTS.resolve("certificate.png"));
    }

    private static void signInWith(String key) {
        var field = browser.find("#api-key");
        field.clear();
        field.sendKeys(key);
        browser.find("#sign-in button[type=submit]").click();
    }

    private static String recordValue() {
        return browser.find("section.domain [data-field=value]").getText();
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
