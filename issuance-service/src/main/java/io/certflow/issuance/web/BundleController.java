package io.certflow.issuance.web;

import io.certflow.issuance.keys.KeyEncoding;
import io.certflow.issuance.keys.KeyVault;
import io.certflow.issuance.persistence.CertificateVersion;
import io.certflow.issuance.persistence.CertificateVersionRepository;
import io.certflow.platform.web.NotFoundException;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.util.Locale;

/**
 * The internal endpoint through which deployment-service gets a certificate version with its private
 * key: the only way a key leaves issuance-service. {@code /internal/**} requires the service token
 * (enforced by the platform); the answer is never cached.
 */
@RestController
public class BundleController {

    private final CertificateVersionRepository versions;
    private final KeyVault vault;

    public BundleController(CertificateVersionRepository versions, KeyVault vault) {
        this.versions = versions;
        this.vault = vault;
    }

    @GetMapping("/internal/v1/certificates/{certificateId}/versions/{serialNumber}/bundle")
    public ResponseEntity<Bundle> bundle(@PathVariable String certificateId, @PathVariable String serialNumber) {
        String serial = normalizeSerial(serialNumber);
        CertificateVersion version = versions.findById(CertificateVersion.idOf(certificateId, serial))
                .orElseThrow(() -> new NotFoundException("no version " + serial + " of certificate " + certificateId));
        String privateKeyPem = KeyEncoding.toPkcs8Pem(
                vault.openPrivateKey(version.getPrivateKey(), version.getKeyAlgorithm(), version.keyContext()));
        return ResponseEntity.ok()
                .cacheControl(CacheControl.noStore())
                .body(new Bundle(certificateId, serial, version.getCertificateChainPem(), privateKeyPem));
    }

    /** Serials as certflow writes them: lower-case hex without leading zeros (colons tolerated). */
    static String normalizeSerial(String serial) {
        String hex = serial.replace(":", "").trim().toLowerCase(Locale.ROOT);
        if (!hex.matches("[0-9a-f]+")) {
            throw new NotFoundException("no version " + serial);
        }
        String stripped = hex.replaceFirst("^0+", "");
        return stripped.isEmpty() ? "0" : stripped;
    }

    /**
     * A certificate version and its key, for deployment.
     *
     * @param certificateId       the certificate
     * @param serialNumber        the version
     * @param certificateChainPem leaf first, then intermediates
     * @param privateKeyPem       PKCS#8 PEM
     */
    public record Bundle(String certificateId, String serialNumber, String certificateChainPem, String privateKeyPem) {

        @Override
        public String toString() {
            return "Bundle[" + certificateId + ", " + serialNumber + "]";
        }
    }
}
