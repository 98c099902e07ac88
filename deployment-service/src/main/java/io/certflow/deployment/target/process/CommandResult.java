package io.certflow.deployment.target.process;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How a command run by a target ended. The output is already cleaned for messages (PEM blocks removed, lines
 * folded into one with {@code " | "}, shortened), so it may be shown to a person.
 *
 * @param exitCode the exit code, or -1 if it did not start or timed out
 * @param timedOut whether it was killed after its timeout
 * @param output   stdout and stderr, cleaned
 */
public record CommandResult(int exitCode, boolean timedOut, String output) {

    /** Whether it exited with 0 in time. */
    public boolean succeeded() {
        return !timedOut && exitCode == 0;
    }

    /** For people: {@code exit 1: nginx: [emerg] …} or {@code timed out}. */
    public String describe() {
        String how = timedOut ? "timed out" : exitCode < 0 ? "could not start" : "exit " + exitCode;
        return output.isBlank() ? how : how + ": " + output;
    }

    /**
     * For people, shorter: how it ended and the first {@code lines} lines of its output, where a program says
     * what went wrong first (nginx's {@code [emerg]} line).
     */
    public String describe(int lines) {
        String first = Arrays.stream(output.split(" \\| ")).limit(lines).collect(Collectors.joining(" | "));
        return new CommandResult(exitCode, timedOut, first).describe();
    }
}
