package io.certflow.verification.web;

import io.certflow.verification.delegation.DomainName;
import io.certflow.verification.persistence.DomainAuthorization;

/**
 * The CNAME a customer creates once to delegate a domain's DNS-01 challenges to certflow, and
 * whether it was seen.
 *
 * @param domain      the domain (the base domain for a wildcard), punycode for internationalized names
 * @param displayName the domain in Unicode, for people
 * @param recordName  {@code _acme-challenge.<domain>.}
 * @param zone        the zone that holds the domain as the public sees it, or null when it could not be found now
 * @param hostRecord  the record's name relative to that zone, as DNS consoles ask for it (e.g.
 *                    {@code _acme-challenge.www} in zone {@code example.com.}), or null without a zone
 * @param recordType  always {@code CNAME}
 * @param recordValue the delegation target, {@code <label>.<delegation zone>}
 * @param state       {@code PENDING} or {@code VERIFIED}
 */
public record DelegationView(String domain, String displayName, String recordName, String zone, String hostRecord,
                             String recordType, String recordValue, String state) {

    static DelegationView of(DomainAuthorization a, String zone) {
        String hostRecord = null;
        if (zone != null && a.getRecordName().endsWith("." + zone)) {
            hostRecord = a.getRecordName().substring(0, a.getRecordName().length() - zone.length() - 1);
        }
        return new DelegationView(a.getDomain(), DomainName.displayName(a.getDomain()), a.getRecordName(),
                hostRecord == null ? null : zone, hostRecord, "CNAME", a.getDelegationTarget(), a.getState().name());
    }
}
