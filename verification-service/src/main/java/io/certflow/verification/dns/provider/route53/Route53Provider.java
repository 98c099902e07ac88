package io.certflow.verification.dns.provider.route53;

import io.certflow.verification.dns.provider.DnsProvider;
import io.certflow.verification.dns.provider.DnsProviderException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@link DnsProvider} over Amazon Route 53 (REST API 2013-04-01, signed with AWS Signature Version 4), without
 * the AWS SDK. The zone of a name is the closest public hosted zone whose name is the name or one of its
 * parents, asked label by label with {@code ListHostedZonesByName}; private hosted zones are passed over, since
 * the CA does not see them.
 *
 * <p>Route 53 replaces whole record sets, so a change reads the TXT set at the name and writes it back whole:
 * {@code UPSERT} with the values added, or with the values that remain after a removal, or {@code DELETE} with
 * the exact current set when nothing remains. Other values at the name stay. Route 53 has no conditional
 * update, so two writers changing the same name in the same instant can still lose one's values; a
 * {@code DELETE} that races a change is refused rather than applied.
 *
 * <p>Needs the IAM permissions {@code route53:ListHostedZonesByName}, {@code route53:ListResourceRecordSets} and
 * {@code route53:ChangeResourceRecordSets}.
 */
public final class Route53Provider implements DnsProvider {

    private static final Logger log = LoggerFactory.getLogger(Route53Provider.class);
    /** The TTL of written TXT sets: short, since challenge records live minutes. */
    static final long TXT_TTL = 60;
    private static final Pattern LABEL = Pattern.compile("[a-z0-9_-]{1,63}");
    /** Bounds the pages of same-named private zones read before giving up on a name. */
    private static final int MAX_PAGES_PER_NAME = 100;

    private final Route53Client client;

    public Route53Provider(Route53Settings settings) {
        this(settings, Clock.systemUTC());
    }

    /** @param clock signs requests; Route 53 refuses signatures more than 5 minutes off its own clock */
    Route53Provider(Route53Settings settings, Clock clock) {
        this.client = new Route53Client(settings, clock);
    }

    @Override
    public Optional<String> zoneOf(String name) throws DnsProviderException {
        return hostedZone(absolute(name)).map(Route53Xml.HostedZone::name);
    }

    @Override
    public String addTxt(String name, List<String> values) throws DnsProviderException {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no TXT value to add at " + name);
        }
        String owner = absolute(name);
        Route53Xml.HostedZone zone = requireZone(owner);
        List<String> current = simple(client.txtRecordSet(zone.id(), owner))
                .map(Route53Xml.RecordSet::values).orElse(List.of());
        Set<String> present = current.stream().map(TxtValues::unquote).collect(Collectors.toSet());
        List<String> added = values.stream().distinct().filter(v -> !present.contains(v)).toList();
        if (added.isEmpty()) {
            log.info("TXT value(s) already at {} in hosted zone {} ({})", owner, zone.name(), zone.id());
            return zone.name();
        }
        List<String> union = new ArrayList<>(current);
        added.forEach(value -> union.add(TxtValues.quote(value)));
        client.change(zone.id(), "UPSERT", new Route53Xml.RecordSet(owner, "TXT", TXT_TTL, union, true));
        log.info("added {} TXT value(s) at {} in hosted zone {} ({})", added.size(), owner, zone.name(), zone.id());
        return zone.name();
    }

    @Override
    public void removeTxt(String name, List<String> values) throws DnsProviderException {
        if (values.isEmpty()) {
            return;
        }
        String owner = absolute(name);
        Route53Xml.HostedZone zone = requireZone(owner);
        Optional<Route53Xml.RecordSet> found = simple(client.txtRecordSet(zone.id(), owner));
        if (found.isEmpty()) {
            return;
        }
        Route53Xml.RecordSet current = found.get();
        Set<String> removed = Set.copyOf(values);
        List<String> remaining = current.values().stream()
                .filter(value -> !removed.contains(TxtValues.unquote(value))).toList();
        if (remaining.size() == current.values().size()) {
            return;
        }
        if (remaining.isEmpty()) {
            client.change(zone.id(), "DELETE", current);
        } else {
            client.change(zone.id(), "UPSERT",
                    new Route53Xml.RecordSet(current.name(), "TXT", current.ttl(), remaining, true));
        }
        log.info("removed {} TXT value(s) at {} in hosted zone {} ({}), {} left", current.values().size()
                - remaining.size(), owner, zone.name(), zone.id(), remaining.size());
    }

    private Route53Xml.HostedZone requireZone(String owner) throws DnsProviderException {
        return hostedZone(owner).orElseThrow(() -> new DnsProviderException("no public hosted zone of this AWS"
                + " account holds " + owner + " (none named after it or one of its parents); create the zone in"
                + " Route 53 or use the credential of the account that has it", false));
    }

    /** The closest public hosted zone named {@code owner} or one of its parents; TLDs cannot be hosted. */
    private Optional<Route53Xml.HostedZone> hostedZone(String owner) throws DnsProviderException {
        for (String candidate = owner; candidate.indexOf('.') < candidate.length() - 1;
             candidate = candidate.substring(candidate.indexOf('.') + 1)) {
            String startId = null;
            for (int page = 0; page < MAX_PAGES_PER_NAME; page++) {
                Route53Xml.ZonePage zones = client.hostedZonesByName(candidate, startId);
                String wanted = candidate;
                Optional<Route53Xml.HostedZone> named = zones.zones().stream()
                        .filter(zone -> sameName(zone.name(), wanted)).findFirst();
                if (named.isPresent() && !named.get().privateZone()) {
                    return named;
                }
                if (named.isEmpty() || !zones.truncated() || zones.nextDnsName() == null
                        || !sameName(zones.nextDnsName(), candidate) || zones.nextZoneId() == null) {
                    break; // no (more) zones of this name: try the parent
                }
                startId = zones.nextZoneId(); // a private zone of this name; a public one may follow
            }
        }
        return Optional.empty();
    }

    private static Optional<Route53Xml.RecordSet> simple(Optional<Route53Xml.RecordSet> set)
            throws DnsProviderException {
        if (set.isPresent() && !set.get().simple()) {
            throw new DnsProviderException("the TXT records at " + set.get().name() + " use a routing policy or an"
                    + " alias in Route 53; certflow writes simple record sets only, so it leaves them alone", false);
        }
        return set;
    }

    private static boolean sameName(String a, String b) {
        return strip(a).equalsIgnoreCase(strip(b));
    }

    private static String strip(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    /** {@code name} absolute and in lower case, or refused: Route 53 would need escapes for anything else. */
    static String absolute(String name) throws DnsProviderException {
        String n = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        n = n.endsWith(".") ? n : n + ".";
        String[] labels = n.substring(0, n.length() - 1).split("\\.", -1);
        boolean valid = n.length() <= 254 && labels.length >= 2;
        for (String label : labels) {
            valid &= LABEL.matcher(label).matches();
        }
        if (!valid) {
            String shown = name == null ? "null" : name.length() > 80 ? name.substring(0, 80) + "…" : name;
            throw new DnsProviderException("'" + shown + "' is not a DNS name certflow can write in Route 53"
                    + " (at least two labels of letters, digits, hyphens and underscores)", false);
        }
        return n;
    }
}
