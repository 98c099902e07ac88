package io.certflow.verification.challenge;

import java.util.Collection;
import java.util.Optional;

/**
 * What the authoritative servers of a customer's zone answer: a challenge written through a DNS provider is
 * announced ready only once every authoritative server of its zone serves it, since the CA may ask any of them.
 */
@FunctionalInterface
public interface AuthoritativeRecords {

    /**
     * What is still missing.
     *
     * @param name   an absolute name, e.g. {@code _acme-challenge.example.com.}
     * @param values the TXT values that must be there
     * @return empty when every authoritative server of the name's zone answers with every value; else a sentence
     *         saying which server lacks what (or did not answer)
     */
    Optional<String> missing(String name, Collection<String> values);
}
