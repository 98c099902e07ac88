package io.certflow.deployment.target.haproxy;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The runtime API's certificate transaction (HAProxy 2.2+): the text of {@code set ssl cert},
 * {@code commit ssl cert} and {@code abort ssl cert}, and what HAProxy's answers mean. Answers are turned into
 * text for people with every PEM block cut out, so no key ever reaches a message.
 */
public final class SslCertCommands {

    private static final Pattern PEM_BLOCK = Pattern.compile("-----BEGIN [^-]*-----.*?(-----END [^-]*-----|\\z)",
            Pattern.DOTALL);
    private static final int MAX_MESSAGE = 500;

    private SslCertCommands() {
    }

    /**
     * What HAProxy said to a command.
     *
     * @param accepted whether the command did what it should
     * @param message  HAProxy's answer on one line, PEM blocks removed, shortened
     */
    public record Answer(boolean accepted, String message) {
    }

    /** {@code set ssl cert <path> <<} with the combined PEM as payload, ended by an empty line. */
    public static String set(Path certificatePath, String combinedPem) {
        return "set ssl cert " + certificatePath + " <<\n" + CombinedPem.normalize(combinedPem) + "\n";
    }

    /** {@code commit ssl cert <path>}. */
    public static String commit(Path certificatePath) {
        return "commit ssl cert " + certificatePath + "\n";
    }

    /** {@code abort ssl cert <path>}: drops a transaction that was not committed. */
    public static String abort(Path certificatePath) {
        return "abort ssl cert " + certificatePath + "\n";
    }

    /** {@code Transaction created for certificate …!} (or {@code updated}) is success; anything else is not. */
    public static Answer readSet(String answer) {
        String text = clean(answer);
        boolean ok = text.startsWith("Transaction created for certificate")
                || text.startsWith("Transaction updated for certificate");
        return new Answer(ok, text.isEmpty() ? "HAProxy gave no answer" : text);
    }

    /** {@code Committing <path>… Success!} is success; {@code Failed!}, errors or silence are not. */
    public static Answer readCommit(String answer) {
        String text = clean(answer);
        boolean ok = text.startsWith("Committing ") && text.endsWith("Success!")
                && !text.contains("Failed!");
        return new Answer(ok, text.isEmpty() ? "HAProxy gave no answer" : text);
    }

    /** An answer for a message: PEM blocks replaced by {@code <pem removed>}, one line, at most 500 characters. */
    static String clean(String answer) {
        if (answer == null) {
            return "";
        }
        String text = PEM_BLOCK.matcher(answer).replaceAll("<pem removed>");
        text = text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
        return text.length() > MAX_MESSAGE ? text.substring(0, MAX_MESSAGE) + "…" : text;
    }
}
