package io.certflow.deployment.messaging;

import io.certflow.deployment.deploying.RenewalDeployments;
import io.certflow.events.Topics;
import io.certflow.events.v1.CertificateIssued;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Hears every issued certificate version: remembers it and queues the inherited renewal deployments. Only
 * writes documents; the job runner deploys.
 */
@Component
public class CertificateIssuedListener {

    private final RenewalDeployments renewals;

    public CertificateIssuedListener(RenewalDeployments renewals) {
        this.renewals = renewals;
    }

    @KafkaListener(topics = Topics.CERTIFICATE_ISSUED)
    public void on(CertificateIssued event) {
        renewals.issued(event);
    }
}
