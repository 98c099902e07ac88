package io.certflow.deployment.target.process;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CommandRunnerTest {

    private final CommandRunner runner = new CommandRunner();

    @Test
    void capturesExitCodeAndOutput() {
        CommandResult result = runner.run(List.of("/bin/sh", "-c", "echo one; echo two >&2; exit 3"), Duration.ofSeconds(10));

        assertThat(result.succeeded()).isFalse();
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.output()).contains("one").contains("two");
    }

    @Test
    void killsACommandThatTakesTooLong() {
        CommandResult result = runner.run(List.of("/bin/sleep", "30"), Duration.ofMillis(300));

        assertThat(result.timedOut()).isTrue();
        assertThat(result.describe()).startsWith("timed out");
    }

    @Test
    void aMissingExecutableIsAResultNotAnException() {
        CommandResult result = runner.run(List.of("/nonexistent/nginx", "-s", "reload"), Duration.ofSeconds(5));

        assertThat(result.succeeded()).isFalse();
        assertThat(result.describe()).contains("could not start").contains("/nonexistent/nginx");
    }

    @Test
    void neverLetsAPemBlockThrough() {
        String output = "error loading\n-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49\n-----END PRIVATE KEY-----\nbye\n"
                + "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEI";

        String cleaned = CommandRunner.clean(output);

        assertThat(cleaned).doesNotContain("MIGHAgEAMBMGByqGSM49").doesNotContain("MHcCAQEEI")
                .contains("error loading").contains("bye").contains("<PEM removed>");
    }

    @Test
    void shortensLongOutput() {
        assertThat(CommandRunner.clean("x".repeat(5000))).hasSizeLessThan(700);
    }

    @Test
    void capturesStandardOutputAsPrintedApartFromWhatTheCommandSaysAboutItself() {
        CommandOutput output = runner.capture(List.of("/bin/sh", "-c",
                "printf 'line one\\n\\n  indented # not cleaned\\n'; echo 'syntax is ok' >&2"), Duration.ofSeconds(10), 1000);

        assertThat(output.succeeded()).isTrue();
        assertThat(output.stdout()).isEqualTo("line one\n\n  indented # not cleaned\n");
        assertThat(output.result().output()).isEqualTo("syntax is ok");
    }

    @Test
    void anOutputLongerThanAllowedIsNotReturned() {
        CommandOutput output = runner.capture(List.of("/bin/sh", "-c", "head -c 2000 /dev/zero"), Duration.ofSeconds(10), 1000);

        assertThat(output.result().succeeded()).isTrue();
        assertThat(output.stdout()).isNull();
        assertThat(output.succeeded()).isFalse();
    }

    @Test
    void aFailingCaptureSaysWhyWithTheFirstLinesOfItsErrors() {
        CommandOutput output = runner.capture(List.of("/bin/sh", "-c",
                "echo '[emerg] first'; echo second >&2; echo third >&2; echo fourth >&2; exit 1"), Duration.ofSeconds(10), 1000);

        assertThat(output.succeeded()).isFalse();
        assertThat(output.result().describe(2)).isEqualTo("exit 1: second | third");
        assertThat(output.result().describe()).isEqualTo("exit 1: second | third | fourth");
        assertThat(runner.capture(List.of("/nonexistent/nginx", "-T"), Duration.ofSeconds(5), 1000).result().describe(1))
                .startsWith("could not start: cannot start /nonexistent/nginx");
    }
}
