package io.certflow.verification.dns.provider.cloudflare;

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

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@link DnsProvider} over Cloudflare's API v4, for accounts whose zones Cloudflare serves. The zone of a name
 * is the closest enclosing zone the token can see, asked label by label with {@code GET /zones?name=}; each TXT
 * value is one DNS record, listed with {@code GET /zones/{id}/dns_records?type=TXT&name=}, created with
 * {@code POST} and removed by its id with {@code DELETE}, so other values at the name stay.
 */
public final class CloudflareProvider implements DnsProvider {

    private static final Logger log = LoggerFactory.getLogger(CloudflareProvider.class);
    /** The TTL of published challenge records: the smallest Cloudflare accepts outside Enterprise zones. */
    static final int TXT_TTL = 60;
    /** "Record already exists." and "An identical record already exists.": the value is there. */
    private static final Set<Integer> RECORD_EXISTS = Set.of(81057, 81058);
    /** "Record does not exist.": already removed. */
    private static final Set<Integer> RECORD_MISSING = Set.of(81044);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final int PER_PAGE = 100;
    private static final int MAX_PAGES = 50;

    private final CloudflareApi api;

    public CloudflareProvider(CloudflareSettings settings) {
        this.api = new CloudflareApi(settings);
    }

    @Override
    public Optional<String> zoneOf(String name) throws DnsProviderException {
        return zone(owner(name)).map(zone -> zone.name() + ".");
    }

    @Override
    public String addTxt(String name, List<String> values) throws DnsProviderException {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no TXT value to add at " + name);
        }
        String owner = owner(name);
        Zone zone = requireZone(owner);
        List<String> present = txtRecords(zone, owner).stream().map(TxtRecord::value).toList();
        List<String> missing = ProviderText.missing(values, present);
        for (String value : missing) {
            api.post("/zones/" + zone.id() + "/dns_records", Map.of("type", "TXT", "name", owner,
                    "content", TxtContent.quote(value), "ttl", TXT_TTL), RECORD_EXISTS);
        }
        log.info("added {} TXT value(s) at {} in Cloudflare zone {} ({} already there)", missing.size(), owner, zone.name(),
                values.stream().distinct().count() - missing.size());
        return zone.name() + ".";
    }

    @Override
    public void removeTxt(String name, List<String> values) throws DnsProviderException {
        if (values.isEmpty()) {
            return;
        }
        String owner = owner(name);
        Zone zone = requireZone(owner);
        int removed = 0;
        for (TxtRecord r : txtRecords(zone, owner)) {
            if (values.contains(r.value())) {
                api.delete("/zones/" + zone.id() + "/dns_records/" + r.id(), RECORD_MISSING);
                removed++;
            }
        }
        log.info("removed {} TXT value(s) at {} in Cloudflare zone {}", removed, owner, zone.name());
    }

    /** The closest enclosing zone the token sees, asking for each candidate from {@code owner} upwards. */
    private Optional<Zone> zone(String owner) throws DnsProviderException {
        for (String candidate = owner; candidate.indexOf('.') > 0; candidate = parent(candidate)) {
            JsonNode answer = api.get("/zones?name=" + encode(candidate));
            for (JsonNode zone : answer.path("result")) {
                if (candidate.equalsIgnoreCase(zone.path("name").asText())) {
                    return Optional.of(new Zone(id(zone, "zone " + candidate), candidate));
                }
            }
        }
        return Optional.empty();
    }

    private Zone requireZone(String owner) throws DnsProviderException {
        return zone(owner).orElseThrow(() -> new DnsProviderException("no Cloudflare zone the API token can see holds "
                + owner + "; add the zone to Cloudflare or give the token Zone:Read on it", false));
    }

    private List<TxtRecord> txtRecords(Zone zone, String owner) throws DnsProviderException {
        List<TxtRecord> found = new ArrayList<>();
        for (int page = 1; page <= MAX_PAGES; page++) {
            JsonNode answer = api.get("/zones/" + zone.id() + "/dns_records?type=TXT&name=" + encode(owner)
                    + "&page=" + page + "&per_page=" + PER_PAGE);
            for (JsonNode r : answer.path("result")) {
                if ("TXT".equalsIgnoreCase(r.path("type").asText())
                        && owner.equalsIgnoreCase(r.path("name").asText())) {
                    found.add(new TxtRecord(id(r, "TXT record of " + owner),
                            TxtContent.unquote(r.path("content").asText())));
                }
            }
            if (page >= answer.path("result_info").path("total_pages").asInt(1)) {
                break;
            }
        }
        return found;
    }

    /** The {@code id} of an answered object, refused unless it is safe to put in a path. */
    private static String id(JsonNode object, String of) throws DnsProviderException {
        String id = object.path("id").asText("");
        if (!ID.matcher(id).matches()) {
            throw new DnsProviderException("Cloudflare answered the " + of + " without a usable id", false);
        }
        return id;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private record Zone(String id, String name) {
    }

    private record TxtRecord(String id, String value) {
    }
}
