package io.certflow.deployment.target.process;

/**
 * A command whose standard output is data (nginx's {@code -T} configuration dump), kept apart from what the
 * command says about itself. The data is given as printed, so it is never put in a message or a log: it may hold
 * whatever the configuration holds.
 *
 * @param result   how the command ended, with its standard error (cleaned) as output
 * @param stdout   the standard output as printed, or null if it was longer than allowed
 */
public record CommandOutput(CommandResult result, String stdout) {

    /** Whether the command succeeded and its whole output was read. */
    public boolean succeeded() {
        return result.succeeded() && stdout != null;
    }
}
