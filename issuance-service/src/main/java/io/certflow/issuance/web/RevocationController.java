package io.certflow.issuance.web;

import io.certflow.issuance.ca.RevocationReason;
import io.certflow.issuance.issuing.Revocations;
import io.certflow.issuance.issuing.Revocations.Outcome;
import io.certflow.issuance.persistence.CertificateVersion;
import io.certflow.platform.web.Account;
import io.certflow.platform.web.ApiException;
import io.certflow.platform.web.BadRequestException;
import io.certflow.platform.web.ConflictException;
import io.certflow.platform.web.NotFoundException;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;

/**
 * Revocation of one issued version by its owner: {@code POST
 * /api/v1/certificates/{certificateId}/versions/{serialNumber}/revoke} with {@code {"reason":"keyCompromise"}}.
 * The CA is asked at once (one short exchange: a person waits for the answer); the version then records
 * the revocation and {@code CertificateRevoked} is published, on which hosting renews the certificate.
 *
 * <p>Answers: 200 revoked; 400 an unknown reason (the detail lists the allowed ones); 404 no such version
 * of the caller's account; 409 revoked already; 502 the CA refused (its problem type and detail); 503 the
 * CA could not be reached (try again).
 */
@RestController
public class RevocationController {

    private final Revocations revocations;

    public RevocationController(Revocations revocations) {
        this.revocations = revocations;
    }

    @PostMapping("/api/v1/certificates/{certificateId}/versions/{serialNumber}/revoke")
    public RevocationView revoke(Account account, @PathVariable String certificateId, @PathVariable String serialNumber,
                                 @RequestBody RevokeRequest request) {
        String reasonName = request == null ? null : request.reason();
        RevocationReason reason = RevocationReason.ofRfcName(reasonName).orElseThrow(() -> new BadRequestException(
                (reasonName == null || reasonName.isBlank() ? "reason is missing" : "unknown reason '" + reasonName + "'")
                        + "; allowed reasons (RFC 5280): " + String.join(", ", RevocationReason.rfcNames())));
        String serial;
        try {
            serial = BundleController.normalizeSerial(serialNumber);
        } catch (NotFoundException e) {
            throw notFound(certificateId, serialNumber);
        }
        Outcome outcome = revocations.revoke(account.id(), certificateId, serial, reason);
        if (outcome instanceof Outcome.Revoked revoked) {
            return RevocationView.of(revoked.version());
        }
        if (outcome instanceof Outcome.AlreadyRevoked already) {
            throw new ConflictException("Version " + serial + " of certificate " + certificateId + " was revoked already"
                    + (already.byCa()
                    ? " (the CA says so: urn:ietf:params:acme:error:alreadyRevoked)"
                    : " at " + already.version().getRevokedAt() + " (" + already.version().getRevocationReason() + ")") + ".");
        }
        if (outcome instanceof Outcome.Refused refused) {
            throw new CaProblemException(502, "The CA refused to revoke version " + serial + " of certificate "
                    + certificateId + ": " + refused.problem().describe());
        }
        if (outcome instanceof Outcome.Unavailable unavailable) {
            throw new CaProblemException(503, "The CA could not be asked to revoke version " + serial + " of certificate "
                    + certificateId + " (" + unavailable.message() + "); nothing changed, try again"
                    + (unavailable.retryAfter() == null ? "" : " after " + unavailable.retryAfter()) + ".");
        }
        throw notFound(certificateId, serial);
    }

    private static NotFoundException notFound(String certificateId, String serial) {
        return new NotFoundException("no version " + serial + " of certificate " + certificateId);
    }

    /**
     * The request body.
     *
     * @param reason the RFC 5280 reason name ({@code keyCompromise}, {@code superseded}, …)
     */
    public record RevokeRequest(String reason) {
    }

    /**
     * A revoked version.
     *
     * @param certificateId the certificate
     * @param serialNumber  the version
     * @param reason        the RFC 5280 reason name
     * @param revokedAt     when the CA accepted it
     */
    public record RevocationView(String certificateId, String serialNumber, String reason, Instant revokedAt) {

        static RevocationView of(CertificateVersion v) {
            return new RevocationView(v.getCertificateId(), v.getSerialNumber(), v.getRevocationReason(), v.getRevokedAt());
        }
    }

    /** The CA said no (502) or could not be reached (503): the caller's request was fine, the upstream was not. */
    static final class CaProblemException extends ApiException {

        CaProblemException(int status, String detail) {
            super(status, detail);
        }
    }
}
