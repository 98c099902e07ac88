package io.certflow.verification.messaging;

import io.certflow.events.Topics;
import io.certflow.events.v1.CertificateRequested;
import io.certflow.platform.messaging.RejectedEventException;
import io.certflow.verification.delegation.InvalidDomainNameException;
import io.certflow.verification.delegation.UnknownVerificationMethodException;
import io.certflow.verification.delegation.VerificationRequests;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Starts verification of a requested certificate: its domains get authorizations (and labels),
 * and {@code DomainsVerified} follows at once or after the customer's successful "Verify". A
 * request with a name that is not a domain, or an unknown verification method, goes to the dead-letter topic with
 * the reason.
 */
@Component
public class CertificateRequestedListener {

    private final VerificationRequests requests;

    public CertificateRequestedListener(VerificationRequests requests) {
        this.requests = requests;
    }

    @KafkaListener(topics = Topics.CERTIFICATE_REQUESTED)
    public void on(CertificateRequested event) {
        try {
            requests.request(event);
        } catch (InvalidDomainNameException | UnknownVerificationMethodException e) {
            throw new RejectedEventException("certificate request " + event.certificateId() + " refused: " + e.getMessage());
        }
    }
}
