package io.certflow.issuance.caa;

/**
 * Asks DNS for the CAA RRset of one name. Exists so that the RFC 8659 rules ({@link CaaCheck}) are tested
 * without a DNS server, and only the adapter ({@code caa.dns}) imports a DNS library.
 *
 * <p>The answer is what a recursive resolver returns: CNAMEs are followed by the resolver, and a name that does
 * not exist has an empty set. Tree climbing is not the resolver's job.
 */
public interface CaaResolver {

    /**
     * The CAA RRset of {@code name}.
     *
     * @param name an absolute domain name ({@code example.com.}), never a wildcard
     * @throws CaaLookupException when there is no definite answer (timeout, SERVFAIL, REFUSED)
     */
    CaaRecordSet lookup(String name) throws CaaLookupException;
}
