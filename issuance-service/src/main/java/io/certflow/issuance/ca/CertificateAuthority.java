package io.certflow.issuance.ca;

import java.security.KeyPair;
import java.util.List;
import java.util.Optional;

/**
 * The certificate authority as issuance-service needs it, in domain words: an account, an order for
 * some domains proven by DNS-01, and the certificate at the end.
 *
 * <p>Exists so that the issuing state machine never sees a vendor library (only the adapter in
 * {@code ca.acme} imports acme4j) and so that it can be tested with a fake CA.
 *
 * <p>Every method is one short, bounded exchange with the CA and returns at once: no method sleeps,
 * polls in a loop or waits for validation. Waiting is the caller's job (it stores where the order is
 * and asks {@link #poll} again later, honouring {@link OrderState#retryAfter()}).
 *
 * <p>Errors: {@link CaTransientException} when trying the same call again later can succeed (network,
 * 5xx, bad nonce, rate limit with its {@code Retry-After}); {@link CaRefusedException} when the CA said
 * no, with its RFC 8555 problem type.
 */
public interface CertificateAuthority {

    /**
     * Registers (or finds, since the key identifies the account) the CA account for this key pair,
     * agreeing to the CA's terms of service.
     *
     * @param accountKey   the account key pair; the caller stores it (encrypted) with the returned URL
     * @param contactEmail an optional contact address for expiry notices of the CA
     */
    CaAccount registerAccount(KeyPair accountKey, Optional<String> contactEmail) throws CaException;

    /**
     * Places a new order for all {@code domains} (wildcards as {@code *.example.com}).
     *
     * @param replacedCertificatePem the certificate (PEM, leaf first) this order renews, sent to the CA
     *                               as ARI {@code replaces} when it supports renewal information
     * @return the order handle and one DNS-01 challenge per authorization still to prove; an
     *         authorization the CA already holds as valid needs none
     */
    PlacedOrder placeOrder(CaAccount account, List<String> domains, Optional<String> replacedCertificatePem)
            throws CaException;

    /**
     * Tells the CA that the TXT records of these challenges are published and may be validated now.
     * Challenges that are no longer pending are skipped, so calling this again after a transient
     * failure is harmless.
     */
    void triggerChallenges(OrderHandle order, List<DnsChallenge> challenges) throws CaException;

    /** Reads the current state of the order once (with the CA's {@code Retry-After}, when it sent one). */
    OrderState poll(OrderHandle order) throws CaException;

    /**
     * Sends the certificate signing request of a {@link OrderStatus#READY} order.
     *
     * @param csrDer the PKCS#10 request, DER, naming every domain of the order as a SAN
     */
    void finalizeOrder(OrderHandle order, byte[] csrDer) throws CaException;

    /** Downloads the certificate chain of a {@link OrderStatus#VALID} order: PEM, leaf first. */
    String downloadCertificate(OrderHandle order) throws CaException;

    /**
     * Revokes an issued certificate, the request signed with the account key of the account that
     * ordered it. A certificate the CA already revoked is a {@link CaRefusedException} of type
     * {@code urn:ietf:params:acme:error:alreadyRevoked}.
     *
     * @param certificatePem the certificate (PEM, leaf first; only the leaf is sent)
     * @param reason         the RFC 5280 reason
     */
    void revoke(CaAccount account, String certificatePem, RevocationReason reason) throws CaException;

    /**
     * The renewal information (RFC 9773 ARI) of this CA; {@link RenewalInformation#NONE} for a CA without it.
     */
    default RenewalInformation renewalInformation() {
        return RenewalInformation.NONE;
    }

    /**
     * Rolls the account over to {@code newKey} (ACME key change): the account URL stays the same and
     * every later request must be signed with {@code newKey}. A CA without key change refuses (final).
     */
    default void changeAccountKey(CaAccount account, KeyPair newKey) throws CaException {
        throw new CaRefusedException(new CaProblem("urn:certflow:issuance:ca:unsupported",
                "this CA does not support account key rollover"), false);
    }

    /**
     * The URL of the account whose key is {@code accountKey}, if the CA knows one; creates nothing. Used to
     * find out which key the CA holds after an interrupted key rollover.
     */
    default Optional<java.net.URI> findAccount(KeyPair accountKey) throws CaException {
        throw new CaRefusedException(new CaProblem("urn:certflow:issuance:ca:unsupported",
                "this CA cannot look accounts up by key"), false);
    }

    /**
     * The orders of {@code account} that the CA still holds open (pending or ready) for exactly {@code domains}
     * (compared as a set, ignoring case), each with the DNS-01 challenges still to prove, as {@link #placeOrder}
     * returned them. Lets a caller that crashed between asking for an order and storing its URL find that order
     * instead of placing a second one. ACME orders carry no creation time: telling whose order it is stays with
     * the caller.
     *
     * @return empty when the CA does not list an account's orders (RFC 8555 §7.1.2.1 {@code orders}; Let's
     *         Encrypt does not), else the open orders found (maybe none)
     */
    default Optional<List<PlacedOrder>> findOpenOrders(CaAccount account, List<String> domains) throws CaException {
        return Optional.empty();
    }

    /**
     * The issuer domain names the CA publishes for CAA ({@code meta.caaIdentities} of its ACME directory); empty
     * when it publishes none. Used for the CAA pre-check of a profile that configures none.
     */
    default List<String> caaIdentities() throws CaException {
        return List.of();
    }
}
