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
 * Runs a local command (a reload, a configuration test) without a shell and with a timeout, and captures
 * its output for the deployment result. Output is cleaned before anyone sees it: a PEM block (a key printed
 * by a misconfigured command) never reaches a message or a log.
 */
public class CommandRunner {

    private static final int MAX_CAPTURE = 64 * 1024;
    private static final int MAX_MESSAGE = 600;
    private static final Pattern PEM_BLOCK =
            Pattern.compile("-----BEGIN [A-Z0-9 ]+-----.*?(-----END [A-Z0-9 ]+-----|\\z)", Pattern.DOTALL);

    /** Runs {@code argv}; kills it after {@code timeout}. Never throws for a failing command. */
    public CommandResult run(List<String> argv, Duration timeout) {
        Path output = null;
        try {
            output = Files.createTempFile("certflow-command-", ".out");
            Process process;
            try {
                process = new ProcessBuilder(argv)
                        .redirectErrorStream(true)
                        .redirectOutput(output.toFile())
                        .start();
            } catch (IOException e) {
                return new CommandResult(-1, false, clean("cannot start " + argv.get(0) + ": " + e.getMessage()));
            }
            process.getOutputStream().close();
            boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!exited) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                return new CommandResult(-1, true, clean(read(output)));
            }
            return new CommandResult(process.exitValue(), false, clean(read(output)));
        } catch (IOException e) {
            return new CommandResult(-1, false, clean("cannot run " + argv.get(0) + ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new CommandResult(-1, true, "interrupted");
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException ignored) {
                    // a leftover temp file of command output holds no secret (see clean)
                }
            }
        }
    }

    private static String read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(MAX_CAPTURE), StandardCharsets.UTF_8);
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
