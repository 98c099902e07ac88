package io.certflow.issuance.issuing;

import io.certflow.issuance.ca.CaAccount;
import io.certflow.issuance.ca.CaException;

/**
 * The CA account a certflow account orders with at a profile: registered on first use, then reused.
 * Exists so that the state machine asks for "the account" and never handles key storage.
 */
public interface CaAccounts {

    /** The account of {@code accountId} at {@code profile}, registering it (one CA call) when needed. */
    CaAccount accountFor(String accountId, CaProfile profile) throws CaException;

    /** The CA no longer knows the stored account (e.g. a test CA restarted): register again next time. */
    void forget(String accountId, CaProfile profile);
}
