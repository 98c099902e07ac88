package io.certflow.verification.dns.provider;

import java.util.List;
import java.util.Optional;

/**
 * "Automatic DNS": a DNS service certflow may write to on the account's behalf, to publish the TXT records of
 * DNS-01 challenges itself instead of asking the owner for a delegation CNAME. One implementation per kind of
 * service (RFC 2136 with TSIG, cloud DNS APIs), each finding the zone that holds a name by itself.
 *
 * <p>Values are added and removed one by one: other TXT values at the same name (another client's challenge,
 * a domain and its wildcard sharing {@code _acme-challenge}) are never touched.
 *
 * <p>Errors: {@link DnsProviderException#transientFailure()} says whether trying again later can help (the
 * server unreachable or failing) or not (the credential refused or lacking permission, the name in no zone the
 * provider holds). Messages never contain the credential.
 */
public interface DnsProvider {

    /**
     * The zone of this provider that holds {@code name}: the closest enclosing zone the provider serves, found
     * by asking it label by label from {@code name} upwards (SOA records, or the provider's zone list), never
     * guessed from the last labels.
     *
     * @param name an absolute name, e.g. {@code _acme-challenge.www.example.com.}
     * @return the absolute zone name, e.g. {@code example.com.}; empty when the provider holds no zone for it
     */
    Optional<String> zoneOf(String name) throws DnsProviderException;

    /**
     * Adds {@code values} as TXT records at {@code name}, keeping every value already there. Adding a value that
     * is already present is no error.
     *
     * @param name   an absolute name, e.g. {@code _acme-challenge.www.example.com.}
     * @param values the values to add, at least one
     * @return the absolute zone the records were written in
     */
    String addTxt(String name, List<String> values) throws DnsProviderException;

    /**
     * Removes exactly {@code values} from the TXT records at {@code name}; other values stay. A value (or a
     * name) that is not there is no error, so a removal can be repeated.
     */
    void removeTxt(String name, List<String> values) throws DnsProviderException;
}
