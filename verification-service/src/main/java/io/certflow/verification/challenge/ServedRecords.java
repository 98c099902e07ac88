package io.certflow.verification.challenge;

import java.util.List;

/**
 * What the delegation zone's DNS server actually answers: certflow does not announce a challenge
 * as ready on the strength of a database write, but once its own authoritative server serves it
 * over the network, as a CA will see it.
 */
public interface ServedRecords {

    /**
     * The TXT values the delegation zone's DNS server answers for {@code name}.
     *
     * @param name an absolute name in the delegation zone
     * @throws ServedRecordsUnavailableException when the server did not answer
     */
    List<String> txtValues(String name);

    /** The DNS server did not answer (not running, timeout, SERVFAIL). */
    class ServedRecordsUnavailableException extends RuntimeException {
        public ServedRecordsUnavailableException(String message) {
            super(message);
        }
    }
}
