package io.certflow.issuance.ca;

/**
 * Where an order is at the CA, in the words of RFC 8555 §7.1.6 reduced to what the caller decides on.
 * Exists so that the state machine can switch on it without the CA library's enum.
 */
public enum OrderStatus {
    /** Authorizations are not all valid yet (challenges unpublished, untriggered or being validated). */
    PENDING,
    /** Every authorization is valid: the order may be finalized with a CSR. */
    READY,
    /** Finalized; the CA is issuing. */
    PROCESSING,
    /** Issued: the certificate can be downloaded. */
    VALID,
    /** Failed for good (an authorization failed, the order expired or was deactivated). */
    INVALID
}
