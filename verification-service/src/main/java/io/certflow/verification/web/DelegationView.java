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
 * @param recordType  always {@code CNAME}
 * @param recordValue the delegation target, {@code <label>.<delegation zone>}
 * @param state       {@code PENDING} or {@code VERIFIED}
 */
public record DelegationView(String domain, String displayName, String recordName, String recordType,
                             String recordValue, String state) {

    static DelegationView of(DomainAuthorization a) {
        return new DelegationView(a.getDomain(), DomainName.displayName(a.getDomain()), a.getRecordName(), "CNAME",
                a.getDelegationTarget(), a.getState().name());
    }
}
