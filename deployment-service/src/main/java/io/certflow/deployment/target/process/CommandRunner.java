package io.certflow.deployment.target.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Runs a local command (a reload, a configuration test, a configuration dump) without a shell and with a
 * timeout, and captures its output for the deployment result. Output is cleaned before anyone sees it: a PEM
 * block (a key printed by a misconfigured command) never reaches a message or a log.
 */
public class CommandRunner {

    private static final int MAX_CAPTURE = 64 * 1024;
    private static final int MAX_MESSAGE = 600;
    private static final Pattern PEM_BLOCK =
            Pattern.compile("-----BEGIN [A-Z0-9 ]+-----.*?(-----END [A-Z0-9 ]+-----|\\z)", Pattern.DOTALL);

    /** Runs {@code argv}; kills it after {@code timeout}. Never throws for a failing command. */
    public CommandResult run(List<String> argv, Duration timeout) {
        return execute(argv, timeout, 0).result();
    }

    /**
     * Runs {@code argv} for its standard output, which is returned as printed (at most {@code maxOutputBytes};
     * null if it printed more); its standard error becomes the result's cleaned output. Kills it after
     * {@code timeout}. Never throws for a failing command.
     */
    public CommandOutput capture(List<String> argv, Duration timeout, int maxOutputBytes) {
        return execute(argv, timeout, maxOutputBytes);
    }

    /** {@code maxOutputBytes} 0: stdout and stderr together, cleaned; else stdout apart, as printed. */
    private CommandOutput execute(List<String> argv, Duration timeout, int maxOutputBytes) {
        Path output = null;
        Path errors = null;
        try {
            output = Files.createTempFile("certflow-command-", ".out");
            ProcessBuilder builder = new ProcessBuilder(argv).redirectOutput(output.toFile());
            if (maxOutputBytes > 0) {
                errors = Files.createTempFile("certflow-command-", ".err");
                builder.redirectError(errors.toFile());
            } else {
                builder.redirectErrorStream(true);
            }
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                return failure(-1, false, "cannot start " + argv.get(0) + ": " + e.getMessage());
            }
            process.getOutputStream().close();
            boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!exited) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
            int exitCode = exited ? process.exitValue() : -1;
            if (maxOutputBytes == 0) {
                return failure(exitCode, !exited, read(output, MAX_CAPTURE));
            }
            byte[] stdout = readBytes(output, maxOutputBytes + 1);
            return new CommandOutput(new CommandResult(exitCode, !exited, clean(read(errors, MAX_CAPTURE))),
                    stdout.length > maxOutputBytes ? null : new String(stdout, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return failure(-1, false, "cannot run " + argv.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new CommandOutput(new CommandResult(-1, true, "interrupted"), null);
        } finally {
            delete(output);
            delete(errors);
        }
    }

    private static CommandOutput failure(int exitCode, boolean timedOut, String text) {
        return new CommandOutput(new CommandResult(exitCode, timedOut, clean(text)), null);
    }

    private static String read(Path file, int maxBytes) throws IOException {
        return new String(readBytes(file, maxBytes), StandardCharsets.UTF_8);
    }

    private static byte[] readBytes(Path file, int maxBytes) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(maxBytes);
        }
    }

    private static void delete(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover temp file is only readable by this process's user
            }
        }
    }

    /** Removes PEM blocks, folds lines, shortens: what may appear in a message or a log. */
    public static String clean(String output) {
        if (output == null) {
            return "";
        }
        String cleaned = PEM_BLOCK.matcher(output).replaceAll("<PEM removed>");
        cleaned = cleaned.replaceAll("\\s*\\R\\s*", " | ").strip();
        if (cleaned.startsWith("|")) {
            cleaned = cleaned.substring(1).strip();
        }
        if (cleaned.endsWith("|")) {
            cleaned = cleaned.substring(0, cleaned.length() - 1).strip();
        }
        return cleaned.length() > MAX_MESSAGE ? cleaned.substring(0, MAX_MESSAGE) + "…" : cleaned;
    }
}
