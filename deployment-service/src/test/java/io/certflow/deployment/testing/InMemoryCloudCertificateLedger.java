package io.certflow.deployment.testing;

import io.certflow.deployment.target.CloudCertificateLedger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** A {@link CloudCertificateLedger} in memory, for adapter tests that need no store. */
public final class InMemoryCloudCertificateLedger implements CloudCertificateLedger {

    /** Per credential, serial → cloud id, in upload order. */
    private final Map<String, LinkedHashMap<String, String>> uploads = new LinkedHashMap<>();

    @Override
    public synchronized String uploadOnce(String credentialId, String serialNumber, Supplier<String> upload) {
        LinkedHashMap<String, String> byCredential = uploads.computeIfAbsent(credentialId, k -> new LinkedHashMap<>());
        String known = byCredential.get(serialNumber);
        if (known != null) {
            return known;
        }
        String cloudId = upload.get();
        byCredential.put(serialNumber, cloudId);
        return cloudId;
    }

    @Override
    public synchronized List<Upload> beyondNewest(String credentialId, int keep) {
        List<Upload> all = new ArrayList<>();
        uploads.getOrDefault(credentialId, new LinkedHashMap<>()).forEach((serial, id) -> all.add(new Upload(serial, id)));
        return all.subList(0, Math.max(0, all.size() - keep));
    }

    @Override
    public synchronized void forget(String credentialId, String cloudCertificateId) {
        LinkedHashMap<String, String> byCredential = uploads.get(credentialId);
        if (byCredential != null) {
            byCredential.values().removeIf(cloudCertificateId::equals);
        }
    }

    /** How many uploads the credential has recorded. */
    public synchronized int uploads(String credentialId) {
        return uploads.getOrDefault(credentialId, new LinkedHashMap<>()).size();
    }
}
