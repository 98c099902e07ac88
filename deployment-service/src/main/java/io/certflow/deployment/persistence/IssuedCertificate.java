package io.certflow.deployment.persistence;

import io.certflow.deployment.target.PemCertificates;
import io.certflow.events.v1.CertificateIssued;
import io.certflow.platform.outbox.Aggregate;
import org.springframework.data.mongodb.core.mapping.Document;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What deployment-service knows of a managed certificate from {@code CertificateIssued}: its latest version
 * (serial, domains, validity) and the versions seen before. Id = the {@code certificateId}. It lets a task be
 * created for a known certificate only, and tells a submit which serial to deploy.
 */
@Document("issued_certificates")
public class IssuedCertificate extends Aggregate {

    /** How many versions are remembered. */
    static final int VERSIONS_REMEMBERED = 50;

    private String latestSerialNumber;
    private List<String> domains = new ArrayList<>();
    private Instant notBefore;
    private Instant notAfter;
    private List<Version> versions = new ArrayList<>();
    private boolean cancelled;

    /**
     * One issued version.
     *
     * @param serialNumber lower-case hex
     * @param domains      names it covers
     * @param notBefore    validity start
     * @param notAfter     validity end
     * @param issuedAt     when issuance-service said it was issued
     */
    public record Version(String serialNumber, List<String> domains, Instant notBefore, Instant notAfter, Instant issuedAt) {
    }

    protected IssuedCertificate() {
    }

    public IssuedCertificate(String certificateId, String accountId) {
        super(certificateId, accountId);
    }

    /**
     * Records an issued version. It becomes the latest unless a newer one (by validity start) is known already,
     * so an old event delivered late or announced again never turns the clock back.
     */
    public void record(CertificateIssued event) {
        String serial = PemCertificates.normalizeSerial(event.serialNumber());
        boolean known = findVersion(serial).isPresent();
        if (known && !serial.equals(latestSerialNumber)) {
            return; // an older version announced again
        }
        if (!known) {
            versions.add(new Version(serial, event.domains(), event.notBefore(), event.notAfter(), event.occurredAt()));
            while (versions.size() > VERSIONS_REMEMBERED) {
                versions.remove(0);
            }
        }
        if (latestSerialNumber == null || !event.notBefore().isBefore(notBefore)) {
            latestSerialNumber = serial;
            domains = new ArrayList<>(event.domains());
            notBefore = event.notBefore();
            notAfter = event.notAfter();
        }
    }

    /** The order behind the certificate was cancelled. */
    public void cancel() {
        cancelled = true;
    }

    /** A version seen before. */
    public Optional<Version> findVersion(String serialNumber) {
        return versions.stream().filter(v -> v.serialNumber().equals(serialNumber)).findFirst();
    }

    public String getCertificateId() {
        return getId();
    }

    public String getLatestSerialNumber() {
        return latestSerialNumber;
    }

    public List<String> getDomains() {
        return List.copyOf(domains);
    }

    public Instant getNotBefore() {
        return notBefore;
    }

    public Instant getNotAfter() {
        return notAfter;
    }

    public List<Version> getVersions() {
        return List.copyOf(versions);
    }

    public boolean isCancelled() {
        return cancelled;
    }
}
