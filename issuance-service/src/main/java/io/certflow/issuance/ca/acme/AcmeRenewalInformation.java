package io.certflow.issuance.ca.acme;

import io.certflow.issuance.ca.CaAccount;
import io.certflow.issuance.ca.CaException;
import io.certflow.issuance.ca.CaProblem;
import io.certflow.issuance.ca.CaRefusedException;
import io.certflow.issuance.ca.RenewalAdvice;
import io.certflow.issuance.ca.RenewalInformation;
import io.certflow.issuance.ca.RenewalWindow;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.RenewalInfo;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.connector.Resource;
import org.shredzone.acme4j.exception.AcmeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@link RenewalInformation} on acme4j 4: {@link Login#bindRenewalInfo(X509Certificate)} builds the RFC 9773
 * {@code <renewalInfo>/<certID>} URL (base64url of the issuer's key identifier, a dot, base64url of the serial)
 * and {@link RenewalInfo#fetch()} reads the window and the {@code Retry-After}. Exists as its own class so that
 * {@link AcmeCertificateAuthority} does not grow; it uses that profile's sessions (trust, timeout).
 */
final class AcmeRenewalInformation implements RenewalInformation {

    private static final Logger log = LoggerFactory.getLogger(AcmeRenewalInformation.class);

    private final Supplier<Session> sessions;

    /** @param sessions a fresh session of the profile's directory for each call */
    AcmeRenewalInformation(Supplier<Session> sessions) {
        this.sessions = sessions;
    }

    @Override
    public Optional<RenewalAdvice> fetch(CaAccount account, String certificatePem) throws CaException {
        try {
            Session session = sessions.get();
            if (session.resourceUrlOptional(Resource.RENEWAL_INFO).isEmpty()) {
                return Optional.empty();
            }
            Login login = session.login(url(account), account.keyPair());
            RenewalInfo info = login.bindRenewalInfo(leafOf(certificatePem));
            java.time.Instant retryAfter = info.fetch().orElse(null);
            RenewalWindow window;
            try {
                window = new RenewalWindow(info.getSuggestedWindowStart(), info.getSuggestedWindowEnd(),
                        info.getExplanation().map(AcmeRenewalInformation::uri).orElse(null));
            } catch (IllegalArgumentException e) {
                throw new CaRefusedException(new CaProblem(AcmeErrors.CERTFLOW_PREFIX + "invalid-renewal-window",
                        "the CA suggested an invalid renewal window: " + e.getMessage()), true);
            }
            log.debug("renewal info at {}: {} (retry after {})", info.getLocation(), window, retryAfter);
            return Optional.of(new RenewalAdvice(window, retryAfter));
        } catch (CaRefusedException e) {
            throw e;
        } catch (AcmeException | RuntimeException e) {
            throw AcmeErrors.translate("fetch renewal information", e);
        }
    }

    private static URL url(CaAccount account) {
        try {
            return account.accountUrl().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("not a URL: " + account.accountUrl(), e);
        }
    }

    private static java.net.URI uri(URL url) {
        try {
            return url.toURI();
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static X509Certificate leafOf(String pem) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (CertificateException e) {
            throw new IllegalArgumentException("the certificate is not PEM", e);
        }
    }
}
