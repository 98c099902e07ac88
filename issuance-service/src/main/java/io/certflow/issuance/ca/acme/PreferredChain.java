package io.certflow.issuance.ca.acme;

import org.shredzone.acme4j.Certificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Picks, among the chains a CA offers for one certificate (the default and its RFC 8555 §7.4.2
 * {@code alternate} links), the one whose topmost certificate was issued by the preferred name —
 * certbot's {@code --preferred-chain} rule: the issuer common name of the last certificate of the chain.
 * acme4j's own {@code findCertificate} matches any issuer in the chain, which would also pick a chain
 * that merely passes through the name, hence this class. Without a match the default chain stays.
 */
final class PreferredChain {

    private static final Logger log = LoggerFactory.getLogger(PreferredChain.class);

    private PreferredChain() {
    }

    /** The chain of {@code certificate} or of one of its alternates that ends at {@code issuerName}. */
    static Certificate choose(Certificate certificate, String issuerName) {
        List<Certificate> candidates = new ArrayList<>();
        candidates.add(certificate);
        candidates.addAll(certificate.getAlternateCertificates());
        List<String> offered = new ArrayList<>();
        for (Certificate candidate : candidates) {
            Optional<String> top = topIssuerName(candidate.getCertificateChain());
            top.ifPresent(offered::add);
            if (top.filter(issuerName::equals).isPresent()) {
                if (candidate != certificate) {
                    log.info("using the alternate chain ending at '{}' for certificate {}", issuerName, certificate.getLocation());
                }
                return candidate;
            }
        }
        log.info("no chain of certificate {} ends at '{}' (offered: {}); using the default chain",
                certificate.getLocation(), issuerName, offered);
        return certificate;
    }

    /** The common name of the issuer of the last certificate of {@code chain}. */
    static Optional<String> topIssuerName(List<X509Certificate> chain) {
        if (chain.isEmpty()) {
            return Optional.empty();
        }
        return commonName(chain.get(chain.size() - 1).getIssuerX500Principal().getName());
    }

    /** The CN of an RFC 2253 distinguished name. */
    static Optional<String> commonName(String distinguishedName) {
        try {
            List<Rdn> rdns = new LdapName(distinguishedName).getRdns();
            for (int i = rdns.size() - 1; i >= 0; i--) {
                if ("CN".equalsIgnoreCase(rdns.get(i).getType())) {
                    return Optional.of(String.valueOf(rdns.get(i).getValue()));
                }
            }
            return Optional.empty();
        } catch (InvalidNameException e) {
            return Optional.empty();
        }
    }
}
