package io.certflow.platform.apply;

import io.certflow.events.CertflowEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one check that an event may change what it names: its {@code accountId} must be the account
 * that owns the aggregate. Anyone who can write to a topic could otherwise move, cancel or overwrite
 * another account's certificate by naming its id. A mismatch is logged at WARN (ids only) and
 * refused with {@link AccountMismatchException}, so the record goes to the dead-letter topic with
 * reason {@code account-mismatch: …} and the consumer goes on. {@link IdempotentApply} runs it on every
 * aggregate it loads; code that changes state another way calls it itself.
 */
public final class AccountCheck {

    private static final Logger log = LoggerFactory.getLogger(AccountCheck.class);

    private AccountCheck() {
    }

    /**
     * Passes when {@code ownerAccountId} is absent (nothing recorded to compare with) or equals the event's.
     *
     * @param ownerAccountId the account the stored aggregate belongs to
     * @param what           what the aggregate is, for people: {@code "ManagedCertificate cert-1"}
     * @param event          the event that would change it
     * @throws AccountMismatchException when the event names another account
     */
    public static void requireOwner(String ownerAccountId, String what, CertflowEvent event) {
        if (ownerAccountId == null || ownerAccountId.equals(event.accountId())) {
            return;
        }
        log.warn("{} {} names {} of another account; not applied", event.getClass().getSimpleName(), event.eventId(), what);
        throw new AccountMismatchException(what + " belongs to another account than the event's");
    }
}
