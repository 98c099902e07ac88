package io.certflow.console.browser;

import io.certflow.devstack.Binaries;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Debian's headless Chromium driven by Debian's chromedriver (never a download: both paths are given, so Selenium
 * Manager has nothing to look for), with a fresh profile and none of Chromium's background connections, which
 * are refused here. Reads the page as a person does: by the text shown.
 */
final class Browser implements AutoCloseable {
    private final ChromeDriver driver;
    private final ChromeDriverService service;
    private final Thread shutdownHook;

    Browser(Path profile) {
        Path chromium = Binaries.require(Binaries.CHROMIUM);
        Path chromedriver = Binaries.require(Binaries.CHROMEDRIVER);
        service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,900", "--user-data-dir=" + profile.toAbsolutePath());
        driver = new ChromeDriver(service, options);
        // a test run stopped from outside skips @AfterAll: the browser goes with the JVM all the same
        shutdownHook = new Thread(this::quietlyQuit, "quit-chromium");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    ChromeDriver driver() {
        return driver;
    }

    void open(String url) {
        driver.get(url);
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    /** Clicks the element of {@code css} (found again if the page just replaced it). */
    void click(String css) {
        until(d -> {
            d.findElement(By.cssSelector(css)).click();
            return true;
        }, Duration.ofSeconds(10));
    }

    /** The text of the element of {@code css} as shown now (read again if the page just replaced it). */
    String text(String css) {
        return until(d -> d.findElement(By.cssSelector(css)).getText(), Duration.ofSeconds(10));
    }

    /** The text of the whole page as shown. */
    String pageText() {
        return driver.findElement(By.tagName("body")).getText();
    }

    /** Waits until the page shows {@code text} anywhere, and returns the page text. */
    String awaitText(String text, Duration atMost) {
        return awaitText("body", text, atMost);
    }

    /** Waits until the element of {@code css} shows {@code text}, and returns its text. */
    String awaitText(String css, String text, Duration atMost) {
        return until(d -> {
            var found = d.findElements(By.cssSelector(css));
            return found.stream().map(WebElement::getText).filter(t -> t.contains(text)).findFirst().orElse(null);
        }, atMost);
    }

    <T> T until(ExpectedCondition<T> condition, Duration atMost) {
        // the pages refresh themselves: an element read a moment after it was found may be replaced already
        return new WebDriverWait(driver, atMost, Duration.ofMillis(300))
                .ignoring(StaleElementReferenceException.class).until(condition);
    }

    /** Scrolls the element of {@code css} to the top of the window, for a screenshot of it. */
    void scrollTo(String css) {
        driver.executeScript("arguments[0].scrollIntoView({block: 'start'})", find(css));
    }

    /** A PNG of the window. */
    void screenshot(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The page's HTML as it is now. */
    void savePageSource(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, driver.getPageSource(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        quietlyQuit();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException ignored) {
            // the JVM is already shutting down
        }
    }

    private void quietlyQuit() {
        try {
            driver.quit();
        } catch (RuntimeException ignored) {
            // already gone
        } finally {
            service.stop();
        }
    }
}
