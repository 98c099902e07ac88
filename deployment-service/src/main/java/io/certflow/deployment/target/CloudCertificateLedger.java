package io.certflow.deployment.target;

import java.util.List;
import java.util.function.Supplier;

/**
 * The certificates certflow uploaded to a cloud account's own certificate store (AWS ACM, Alibaba Cloud's
 * certificate service…): one version is uploaded once per credential and reused by every resource of that
 * account, and after a successful rotation the oldest are removed, keeping the newest few.
 */
public interface CloudCertificateLedger {

    /**
     * The cloud's id of this version in this account's store: the one recorded, or {@code upload}'s answer,
     * recorded. Concurrent calls for the same credential and serial upload once.
     *
     * @param upload uploads the version and returns the cloud's id; may throw, and then nothing is recorded
     */
    String uploadOnce(String credentialId, String serialNumber, Supplier<String> upload);

    /**
     * The uploads of this credential other than the newest {@code keep} (by upload time), oldest first: what a
     * rotation may now remove from the cloud (after checking that no resource still uses it).
     */
    List<Upload> beyondNewest(String credentialId, int keep);

    /** The cloud no longer has this upload (it was deleted). */
    void forget(String credentialId, String cloudCertificateId);

    /**
     * One upload.
     *
     * @param serialNumber       the version uploaded
     * @param cloudCertificateId the id the cloud gave it
     */
    record Upload(String serialNumber, String cloudCertificateId) {
    }
}
