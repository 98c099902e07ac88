package io.certflow.issuance.persistence;

import org.springframework.data.mongodb.repository.MongoRepository;

import java.util.List;

/** Issued certificate versions by id ({@code certificateId:serial}) and by certificate. */
public interface CertificateVersionRepository extends MongoRepository<CertificateVersion, String> {

    List<CertificateVersion> findByCertificateIdOrderByNotBeforeDesc(String certificateId);
}
