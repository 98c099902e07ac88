package io.certflow.issuance.ca;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Why a certificate is revoked: the RFC 5280 (§5.3.1) reason codes a subscriber may give, by their
 * RFC names ({@code keyCompromise} …). Exists so that the API, the event and the CA adapter speak
 * one vocabulary without the adapter's library leaking out; the CA-only codes ({@code cACompromise},
 * {@code certificateHold}, {@code removeFromCRL}, {@code aACompromise}) are not offered.
 */
public enum RevocationReason {

    /** No reason given (code 0). */
    UNSPECIFIED("unspecified", 0),
    /** The private key is known or suspected to be compromised (code 1). */
    KEY_COMPROMISE("keyCompromise", 1),
    /** The subject's name or other information changed (code 3). */
    AFFILIATION_CHANGED("affiliationChanged", 3),
    /** The certificate was replaced by another one (code 4). */
    SUPERSEDED("superseded", 4),
    /** The certificate is no longer needed (code 5). */
    CESSATION_OF_OPERATION("cessationOfOperation", 5),
    /** A privilege granted by the certificate was withdrawn (code 9). */
    PRIVILEGE_WITHDRAWN("privilegeWithdrawn", 9);

    private final String rfcName;
    private final int code;

    RevocationReason(String rfcName, int code) {
        this.rfcName = rfcName;
        this.code = code;
    }

    /** The RFC 5280 name, as the API and {@code CertificateRevoked} carry it. */
    public String rfcName() {
        return rfcName;
    }

    /** The RFC 5280 {@code CRLReason} code, as the CA receives it. */
    public int code() {
        return code;
    }

    /** The reason with this RFC name (exact spelling), or empty. */
    public static Optional<RevocationReason> ofRfcName(String name) {
        return Arrays.stream(values()).filter(r -> r.rfcName.equals(name)).findFirst();
    }

    /** Every RFC name offered, in code order. */
    public static List<String> rfcNames() {
        return Arrays.stream(values()).map(RevocationReason::rfcName).toList();
    }
}
