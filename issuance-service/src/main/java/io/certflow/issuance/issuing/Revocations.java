package io.certflow.issuance.issuing;

import io.certflow.issuance.ca.CaAccount;
import io.certflow.issuance.ca.CaProblem;
import io.certflow.issuance.ca.CaRefusedException;
import io.certflow.issuance.ca.CaTransientException;
import io.certflow.issuance.ca.CaException;
import io.certflow.issuance.ca.RevocationReason;
import io.certflow.issuance.persistence.CertificateVersion;
import io.certflow.issuance.persistence.CertificateVersionRepository;
import io.certflow.issuance.persistence.IssuanceAttempt;
import io.certflow.issuance.persistence.IssuanceAttemptRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.OptimisticLockingFailureException;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Revokes one issued version at the CA that issued it: one short, bounded exchange with the CA (signed with
 * the certflow account's ACME account key), then the version document records the revocation and raises
 * {@code CertificateRevoked} in the same write. The one implementation behind both ways in: a person's
 * request (the HTTP API, a thin mapping of {@link Outcome}s) and a cancelled order that asked for revocation
 * ({@link PendingRevocations}, which retries what the CA could not take). It is never called from a Kafka
 * listener thread.
 *
 * <p>A revocation the CA already knows (a lost save after the CA accepted, or a revocation made
 * elsewhere) is recorded too, so that hosting still hears of it.
 */
public class Revocations {

    private static final Logger log = LoggerFactory.getLogger(Revocations.class);
    /**
     * The reason given when a cancelled order asks for its certificate's revocation ({@code OrderCancelled.revoke}):
     * RFC 5280 {@code cessationOfOperation}, "the certificate is no longer needed for the purpose for which it was
     * issued" with no suspicion on the key. Not {@code superseded}: nothing replaces a cancelled certificate.
     */
    public static final RevocationReason ON_CANCELLATION = RevocationReason.CESSATION_OF_OPERATION;
    private static final String ALREADY_REVOKED = CaProblem.ACME_ERROR_PREFIX + "alreadyRevoked";

    private final CertificateVersionRepository versions;
    private final IssuanceAttemptRepository attempts;
    private final CaProfiles profiles;
    private final CaAccounts accounts;
    private final Clock clock;

    public Revocations(CertificateVersionRepository versions, IssuanceAttemptRepository attempts, CaProfiles profiles,
                       CaAccounts accounts, Clock clock) {
        this.versions = versions;
        this.attempts = attempts;
        this.profiles = profiles;
        this.accounts = accounts;
        this.clock = clock;
    }

    /**
     * Revokes version {@code serialNumber} of {@code certificateId}, which must belong to {@code accountId}.
     *
     * @param serialNumber the serial, normalized (lower-case hex without leading zeros)
     */
    public Outcome revoke(String accountId, String certificateId, String serialNumber, RevocationReason reason) {
        Optional<CertificateVersion> found = versions.findById(CertificateVersion.idOf(certificateId, serialNumber))
                .filter(v -> accountId.equals(v.getAccountId()));
        if (found.isEmpty()) {
            return new Outcome.NotFound();
        }
        CertificateVersion version = found.get();
        if (version.isRevoked()) {
            return new Outcome.AlreadyRevoked(version, false);
        }
        try {
            CaProfile profile = profiles.profile(attempts.findById(version.getAttemptId())
                    .map(IssuanceAttempt::getCaProfile).orElse(null));
            CaAccount account = accounts.accountFor(accountId, profile);
            profile.authority().revoke(account, version.getCertificateChainPem(), reason);
        } catch (CaRefusedException e) {
            if (ALREADY_REVOKED.equals(e.problemType())) {
                log.info("certificate {} serial {}: the CA had revoked it already; recording it", certificateId, serialNumber);
                return new Outcome.AlreadyRevoked(record(version, reason), true);
            }
            log.info("certificate {} serial {}: the CA refused the revocation: {}", certificateId, serialNumber, e.getMessage());
            return new Outcome.Refused(e.problem());
        } catch (CaTransientException e) {
            log.info("certificate {} serial {}: the CA could not be reached for the revocation: {}", certificateId,
                    serialNumber, e.getMessage());
            return new Outcome.Unavailable(e.getMessage(), e.retryAfter().orElse(null));
        } catch (CaException e) {
            return new Outcome.Refused(new CaProblem(String.valueOf(e.problemType()), e.getMessage()));
        }
        log.info("certificate {} serial {} revoked ({})", certificateId, serialNumber, reason.rfcName());
        return new Outcome.Revoked(record(version, reason));
    }

    /** Records the revocation; a concurrent record of the same revocation wins and is returned. */
    private CertificateVersion record(CertificateVersion version, RevocationReason reason) {
        Instant now = clock.instant();
        CertificateVersion current = version;
        for (int attempt = 0; attempt < 5; attempt++) {
            if (!current.revoked(reason.rfcName(), now)) {
                return current;
            }
            try {
                return versions.save(current);
            } catch (OptimisticLockingFailureException e) {
                current = versions.findById(version.getId()).orElseThrow(() -> e);
            }
        }
        throw new OptimisticLockingFailureException("version " + version.getId() + " keeps changing");
    }

    /** What a revocation request came to. */
    public sealed interface Outcome {

        /**
         * The CA revoked it and the revocation is recorded.
         *
         * @param version the version, revoked
         */
        record Revoked(CertificateVersion version) implements Outcome {
        }

        /** No such version for this account. */
        record NotFound() implements Outcome {
        }

        /**
         * It was revoked before.
         *
         * @param version the version, revoked
         * @param byCa    whether certflow learned it from the CA just now (it is recorded now)
         */
        record AlreadyRevoked(CertificateVersion version, boolean byCa) implements Outcome {
        }

        /**
         * The CA refused.
         *
         * @param problem the CA's problem
         */
        record Refused(CaProblem problem) implements Outcome {
        }

        /**
         * The CA could not be reached or answered with a transient failure; trying later can succeed.
         *
         * @param message    what happened (no secrets)
         * @param retryAfter when the CA asked to be called again, or null
         */
        record Unavailable(String message, Instant retryAfter) implements Outcome {
        }
    }
}
