package io.certflow.verification.dns.provider;

import java.util.List;

/**
 * "Automatic DNS": a DNS service certflow may write to on the account's behalf, to publish the TXT records of
 * DNS-01 challenges itself instead of asking the owner for a delegation CNAME. One implementation per kind of
 * service (RFC 2136 with TSIG here; cloud DNS APIs later), each finding the zone that holds a name by itself.
 *
 * <p>Errors: {@link DnsProviderException#transientFailure()} says whether trying again later can help (the
 * server unreachable or failing) or not (the credential refused, the name in no zone the server holds).
 */
public interface DnsProvider {

    /**
     * Makes {@code values} the only TXT records at {@code name} (several values on one name: a domain and its
     * wildcard share {@code _acme-challenge}), in one change.
     *
     * @param name an absolute name, e.g. {@code _acme-challenge.www.example.com.}
     * @return the zone the records were written in
     */
    String publishTxt(String name, List<String> values) throws DnsProviderException;

    /** Removes every TXT record at {@code name}; a name without any is no error. */
    void removeTxt(String name) throws DnsProviderException;
}
