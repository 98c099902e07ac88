package io.certflow.deployment.target.haproxy;

import io.certflow.deployment.target.PemCertificates;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The runtime API's certificate commands (HAProxy 2.2+): the text of {@code set ssl cert},
 * {@code commit ssl cert}, {@code abort ssl cert} and {@code show ssl cert}, and what HAProxy's answers mean.
 * Answers are turned into text for people with every PEM block cut out, so no key ever reaches a message.
 */
public final class SslCertCommands {

    private static final Pattern PEM_BLOCK = Pattern.compile("-----BEGIN [^-]*-----.*?(-----END [^-]*-----|\\z)",
            Pattern.DOTALL);
    private static final int MAX_MESSAGE = 500;
    private static final Pattern COMMON_NAME = Pattern.compile("(?:^|/|,\\s*)CN\\s*=\\s*([^/,]+)");

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

    /**
     * A certificate in HAProxy's certificate store, as {@code show ssl cert <file>} describes it.
     *
     * @param file         the file name it is stored under (what {@code set ssl cert} takes)
     * @param status       {@code Used} when a {@code bind} serves it; {@code Unused} or {@code Empty} otherwise
     * @param serialNumber lower-case hex without leading zeros, or null
     * @param dnsNames     its DNS subject alternative names, as written (wildcards included)
     * @param commonName   its subject's CN, or null
     */
    public record StoredCertificate(String file, String status, String serialNumber, List<String> dnsNames,
                                    String commonName) {

        public StoredCertificate {
            dnsNames = dnsNames == null ? List.of() : List.copyOf(dnsNames);
        }

        /** Whether a {@code bind} line serves it. */
        public boolean used() {
            return "Used".equals(status);
        }
    }

    /** {@code show ssl cert}: lists the certificate files HAProxy has loaded. */
    public static String list() {
        return "show ssl cert\n";
    }

    /** {@code show ssl cert <file>}: describes one stored certificate. */
    public static String show(String file) {
        return "show ssl cert " + file + "\n";
    }

    /**
     * The files of a {@code show ssl cert} answer (its {@code # filename} part; the {@code *}-marked names of a
     * pending transaction are left out), or empty if the answer is not such a list (an error, a socket below
     * {@code level admin}).
     */
    public static Optional<List<String>> readList(String answer) {
        String text = answer == null ? "" : answer.strip();
        if (!text.startsWith("# ")) {
            return Optional.empty();
        }
        List<String> files = new ArrayList<>();
        boolean committed = false;
        for (String line : text.split("\\R")) {
            String name = line.strip();
            if (name.startsWith("#")) {
                committed = name.equals("# filename");
            } else if (committed && !name.isEmpty()) {
                files.add(name);
            }
        }
        return Optional.of(List.copyOf(files));
    }

    /**
     * The certificate of the transaction a {@code show ssl cert} answer shows open (its {@code # transaction}
     * part), if there is one.
     */
    public static Optional<String> readTransaction(String answer) {
        boolean transaction = false;
        for (String line : (answer == null ? "" : answer).split("\\R")) {
            String name = line.strip();
            if (name.startsWith("#")) {
                transaction = name.equals("# transaction");
            } else if (transaction && name.startsWith("*")) {
                return Optional.of(name.substring(1));
            }
        }
        return Optional.empty();
    }

    /**
     * The certificate a {@code show ssl cert <file>} answer describes, or empty if the answer is not such a
     * description (HAProxy does not know the file).
     */
    public static Optional<StoredCertificate> readShow(String answer) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : (answer == null ? "" : answer).split("\\R")) {
            int colon = line.indexOf(": ");
            if (colon > 0) {
                fields.putIfAbsent(line.substring(0, colon).strip(), line.substring(colon + 2).strip());
            } else if (line.endsWith(":")) {
                fields.putIfAbsent(line.substring(0, line.length() - 1).strip(), "");
            }
        }
        String file = fields.get("Filename");
        if (file == null || file.isEmpty()) {
            return Optional.empty();
        }
        List<String> dnsNames = new ArrayList<>();
        for (String name : fields.getOrDefault("Subject Alternative Name", "").split(",")) {
            String entry = name.strip();
            if (entry.startsWith("DNS:") && entry.length() > 4) {
                dnsNames.add(entry.substring(4));
            }
        }
        String serial = fields.get("Serial");
        return Optional.of(new StoredCertificate(file, fields.getOrDefault("Status", ""),
                serial == null || serial.isEmpty() ? null : PemCertificates.normalizeSerial(serial), dnsNames,
                commonName(fields.get("Subject"))));
    }

    /** The CN of an OpenSSL one-line subject such as {@code /C=DE/O=Example/CN=www.example.com}. */
    private static String commonName(String subject) {
        if (subject == null) {
            return null;
        }
        Matcher cn = COMMON_NAME.matcher(subject);
        return cn.find() ? cn.group(1).strip() : null;
    }

    /**
     * {@code Transaction created for certificate <path>!} (or {@code updated}) is success; anything else is not,
     * including such an answer naming another certificate: HAProxy 2.6 says so when another client's transaction
     * is open.
     */
    public static Answer readSet(Path certificatePath, String answer) {
        String text = clean(answer);
        boolean ok = text.equals("Transaction created for certificate " + certificatePath + "!")
                || text.equals("Transaction updated for certificate " + certificatePath + "!");
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
