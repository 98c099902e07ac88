package io.certflow.deployment.tls;

import javax.net.ssl.SNIHostName;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Picks the name to send in SNI when reading back a server that serves several names, some of them wildcards.
 * Exists because a wildcard ({@code *.example.com}) cannot be sent: a name it covers is made up instead, with a
 * label no one else serves, so that the server picks the block (or certificate) of the wildcard and not that of a
 * more specific name.
 */
public final class ServerNames {

    /** The label put in place of a wildcard's {@code *}. */
    public static final String WILDCARD_LABEL = "certflow-read-back";

    private ServerNames() {
    }

    /**
     * The first name that can be sent in SNI, in lower case: a host name with a dot, or the first wildcard with
     * {@link #WILDCARD_LABEL} in place of its {@code *}. Empty if there is none.
     */
    public static Optional<String> forReadBack(List<String> names) {
        Optional<String> plain = names.stream().filter(n -> !n.startsWith("*.")).filter(ServerNames::isHostName)
                .findFirst();
        if (plain.isPresent()) {
            return plain.map(n -> n.toLowerCase(Locale.ROOT));
        }
        return names.stream().filter(n -> n.startsWith("*.")).map(n -> WILDCARD_LABEL + n.substring(1))
                .filter(ServerNames::isHostName).findFirst().map(n -> n.toLowerCase(Locale.ROOT));
    }

    /**
     * Whether {@code name} is a host name with at least one dot, as clients send it in SNI (not an IP address: no
     * top-level domain is all digits).
     */
    public static boolean isHostName(String name) {
        if (name == null || !name.contains(".") || name.startsWith(".") || name.endsWith(".")
                || name.chars().anyMatch(c -> Character.isWhitespace(c) || c == '*')
                || name.substring(name.lastIndexOf('.') + 1).chars().allMatch(Character::isDigit)) {
            return false;
        }
        try {
            new SNIHostName(name);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
