package io.certflow.issuance.web;

import io.certflow.issuance.keys.KeyEncoding;
import io.certflow.issuance.keys.KeyVault;
import io.certflow.issuance.persistence.CertificateVersion;
import io.certflow.issuance.persistence.CertificateVersionRepository;
import io.certflow.platform.web.NotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The internal endpoint through which deployment-service gets a certificate version with its private
 * key: the only way a key leaves issuance-service. {@code /internal/**} requires the service token
 * (enforced by the platform); the answer is never cached. Every key it hands out is audit-logged on
 * the logger {@value #AUDIT_LOGGER}, one line per read: who (the calling service, from the optional
 * {@value #CALLER_HEADER} header, else {@code unknown}), which certificate and serial, and when; never
 * the key.
 */
@RestController
public class BundleController {

    /** The logger of security-relevant reads, kept apart so that operators can route it to their audit trail. */
    public static final String AUDIT_LOGGER = "certflow.audit";
    /** The header in which an internal caller names itself ({@code deployment-service}). */
    public static final String CALLER_HEADER = "X-Caller";

    private static final Logger audit = LoggerFactory.getLogger(AUDIT_LOGGER);
    private static final Pattern CALLER_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final CertificateVersionRepository versions;
    private final KeyVault vault;
    private final Clock clock;

    public BundleController(CertificateVersionRepository versions, KeyVault vault, Clock clock) {
        this.versions = versions;
        this.vault = vault;
        this.clock = clock;
    }

    @GetMapping("/internal/v1/certificates/{certificateId}/versions/{serialNumber}/bundle")
    public ResponseEntity<Bundle> bundle(@PathVariable String certificateId, @PathVariable String serialNumber,
                                         @RequestHeader(value = CALLER_HEADER, required = false) String caller) {
        String serial = normalizeSerial(serialNumber);
        CertificateVersion version = versions.findById(CertificateVersion.idOf(certificateId, serial))
                .orElseThrow(() -> new NotFoundException("no version " + serial + " of certificate " + certificateId));
        String privateKeyPem = KeyEncoding.toPkcs8Pem(
                vault.openPrivateKey(version.getPrivateKey(), version.getKeyAlgorithm(), version.keyContext()));
        audit.info("private key read: caller={} certificateId={} serialNumber={} at={}", callerName(caller),
                version.getCertificateId(), version.getSerialNumber(), clock.instant());
        return ResponseEntity.ok()
                .cacheControl(CacheControl.noStore())
                .body(new Bundle(certificateId, serial, version.getCertificateChainPem(), privateKeyPem));
    }

    /** The caller as it named itself; a name that could forge log lines is not repeated. */
    static String callerName(String caller) {
        if (caller == null || caller.isBlank()) {
            return "unknown";
        }
        String trimmed = caller.trim();
        return CALLER_NAME.matcher(trimmed).matches() ? trimmed : "invalid";
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
