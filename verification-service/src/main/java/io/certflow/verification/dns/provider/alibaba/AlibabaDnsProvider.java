package io.certflow.verification.dns.provider.alibaba;

import static io.certflow.verification.dns.provider.ProviderText.owner;
import static io.certflow.verification.dns.provider.ProviderText.parent;

import com.fasterxml.jackson.databind.JsonNode;
import io.certflow.verification.dns.provider.DnsProvider;
import io.certflow.verification.dns.provider.DnsProviderException;
import io.certflow.verification.dns.provider.ProviderText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@link DnsProvider} over Alibaba Cloud DNS (Alidns API 2015-01-09), for accounts whose domains are hosted
 * there. The zone of a name is the closest enclosing domain the account holds, asked label by label with
 * {@code DescribeDomains} (exact search); each TXT value is one record ({@code AddDomainRecord}), found again with
 * {@code DescribeSubDomainRecords} and removed by its {@code RecordId}, so other values at the name stay.
 */
public final class AlibabaDnsProvider implements DnsProvider {

    private static final Logger log = LoggerFactory.getLogger(AlibabaDnsProvider.class);
    /** The TTL of published challenge records: the smallest every Alidns edition accepts (the free one: 600 s). */
    static final int TXT_TTL = 600;
    private static final int PAGE_SIZE = 100;
    private static final int MAX_PAGES = 50;

    private final AlidnsClient client;

    public AlibabaDnsProvider(AlibabaDnsSettings settings) {
        this(settings, Clock.systemUTC());
    }

    /** With the clock that stamps requests (Alidns refuses a {@code Timestamp} 15 minutes off). */
    AlibabaDnsProvider(AlibabaDnsSettings settings, Clock clock) {
        this.client = new AlidnsClient(settings, clock);
    }

    @Override
    public Optional<String> zoneOf(String name) throws DnsProviderException {
        return domainOf(owner(name)).map(domain -> domain + ".");
    }

    @Override
    public String addTxt(String name, List<String> values) throws DnsProviderException {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no TXT value to add at " + name);
        }
        String owner = owner(name);
        String domain = requireDomain(owner);
        List<String> present = txtRecords(domain, owner).stream().map(TxtRecord::value).toList();
        List<String> missing = ProviderText.missing(values, present);
        for (String value : missing) {
            client.call("AddDomainRecord", Map.of("DomainName", domain, "RR", hostRecord(owner, domain),
                    "Type", "TXT", "Value", value, "TTL", String.valueOf(TXT_TTL)), Set.of("DomainRecordDuplicate"));
        }
        log.info("added {} TXT value(s) at {} in Alibaba Cloud DNS domain {} ({} already there)", missing.size(),
                owner, domain, values.stream().distinct().count() - missing.size());
        return domain + ".";
    }

    @Override
    public void removeTxt(String name, List<String> values) throws DnsProviderException {
        if (values.isEmpty()) {
            return;
        }
        String owner = owner(name);
        String domain = requireDomain(owner);
        int removed = 0;
        for (TxtRecord r : txtRecords(domain, owner)) {
            if (values.contains(r.value())) {
                client.call("DeleteDomainRecord", Map.of("RecordId", r.recordId()),
                        Set.of("DomainRecordNotBelongToUser"));
                removed++;
            }
        }
        log.info("removed {} TXT value(s) at {} in Alibaba Cloud DNS domain {}", removed, owner, domain);
    }

    /** The closest enclosing domain the account holds, asking for each candidate from {@code owner} upwards. */
    private Optional<String> domainOf(String owner) throws DnsProviderException {
        for (String candidate = owner; candidate.indexOf('.') > 0; candidate = parent(candidate)) {
            JsonNode answer = client.call("DescribeDomains", Map.of("KeyWord", candidate, "SearchMode", "EXACT"));
            for (JsonNode domain : answer.path("Domains").path("Domain")) {
                if (candidate.equalsIgnoreCase(domain.path("DomainName").asText())
                        || candidate.equalsIgnoreCase(domain.path("PunyCode").asText())) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    private String requireDomain(String owner) throws DnsProviderException {
        return domainOf(owner).orElseThrow(() -> new DnsProviderException("no domain of this Alibaba Cloud account"
                + " holds " + owner + "; add the domain to Alibaba Cloud DNS or use the account that holds it", false));
    }

    private List<TxtRecord> txtRecords(String domain, String owner) throws DnsProviderException {
        String rr = hostRecord(owner, domain);
        List<TxtRecord> found = new ArrayList<>();
        for (int page = 1; page <= MAX_PAGES; page++) {
            JsonNode answer = client.call("DescribeSubDomainRecords", Map.of("DomainName", domain, "SubDomain", owner,
                    "Type", "TXT", "PageNumber", String.valueOf(page), "PageSize", String.valueOf(PAGE_SIZE)));
            JsonNode records = answer.path("DomainRecords").path("Record");
            for (JsonNode r : records) {
                if ("TXT".equalsIgnoreCase(r.path("Type").asText()) && rr.equalsIgnoreCase(r.path("RR").asText())) {
                    String id = r.path("RecordId").asText("");
                    if (id.isEmpty()) {
                        throw new DnsProviderException("Alibaba Cloud DNS DescribeSubDomainRecords answered a TXT"
                                + " record of " + owner + " without a RecordId", false);
                    }
                    found.add(new TxtRecord(id, r.path("Value").asText()));
                }
            }
            if (records.size() == 0 || (long) page * PAGE_SIZE >= answer.path("TotalCount").asLong(0)) {
                break;
            }
        }
        return found;
    }

    /** The host record ({@code RR}) of {@code owner} in {@code domain}: the labels before it, {@code @} at the apex. */
    static String hostRecord(String owner, String domain) {
        return owner.equals(domain) ? "@" : owner.substring(0, owner.length() - domain.length() - 1);
    }

    private record TxtRecord(String recordId, String value) {
    }
}
