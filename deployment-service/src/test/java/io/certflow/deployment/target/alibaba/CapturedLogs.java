package io.certflow.deployment.target.alibaba;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** Every log line written while a test runs, to prove that no secret or private key shows in them. */
final class CapturedLogs implements AutoCloseable {

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    CapturedLogs() {
        appender.start();
        root().addAppender(appender);
    }

    /** Neither the texts (outcome messages…) nor any log line shows {@code secret} or a private key. */
    void assertNoSecretShown(String secret, String... texts) {
        for (String text : texts) {
            assertThat(text).doesNotContain(secret).doesNotContain("PRIVATE KEY");
        }
        for (ILoggingEvent event : appender.list) {
            assertThat(event.getFormattedMessage()).doesNotContain(secret).doesNotContain("PRIVATE KEY");
        }
    }

    @Override
    public void close() {
        root().detachAppender(appender);
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }
}
