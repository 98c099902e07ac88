package io.certflow.issuance.issuing;

/**
 * certflow's own problem types in {@code IssuanceFailed}, for failures that have no CA problem
 * document. Exists so that consumers can switch on stable strings.
 */
public final class IssuanceProblems {

    private static final String PREFIX = "urn:certflow:issuance:";

    /** The request names a CA profile this service does not have. */
    public static final String UNKNOWN_CA_PROFILE = PREFIX + "unknown-ca-profile";
    /** The request names a key type this service cannot make. */
    public static final String UNSUPPORTED_KEY_TYPE = PREFIX + "unsupported-key-type";
    /** verification-service did not confirm the challenge records in time. */
    public static final String CHALLENGE_TIMEOUT = PREFIX + "challenge-timeout";
    /** The CA did not validate or issue in time. */
    public static final String VALIDATION_TIMEOUT = PREFIX + "validation-timeout";
    /** The CA kept failing transiently. */
    public static final String CA_UNAVAILABLE = PREFIX + "ca-unavailable";
    /** CAA records of a requested name forbid the profile's CA (or its account); the reason names the record to add. */
    public static final String CAA_FORBIDDEN = PREFIX + "caa-forbidden";
    /** The CA returned something inconsistent (e.g. a certificate for another key). */
    public static final String CA_INCONSISTENT = PREFIX + "ca-inconsistent";

    private IssuanceProblems() {
    }
}
