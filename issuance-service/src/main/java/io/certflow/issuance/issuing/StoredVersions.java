package io.certflow.issuance.issuing;

import io.certflow.issuance.persistence.CertificateVersion;
import io.certflow.issuance.persistence.CertificateVersionRepository;
import org.springframework.dao.DuplicateKeyException;

import java.util.Optional;

/** {@link VersionStore} on the {@code certificate_versions} collection. */
public class StoredVersions implements VersionStore {

    private final CertificateVersionRepository repository;

    public StoredVersions(CertificateVersionRepository repository) {
        this.repository = repository;
    }

    @Override
    public void store(CertificateVersion version) {
        if (repository.existsById(version.getId())) {
            return;
        }
        try {
            repository.insert(version);
        } catch (DuplicateKeyException e) {
            // stored by a step whose attempt save was lost: the same version
        }
    }


    @Override
    public Optional<CertificateVersion> find(String certificateId, String serialNumber) {
        return repository.findById(CertificateVersion.idOf(certificateId, serialNumber));
    }
}
