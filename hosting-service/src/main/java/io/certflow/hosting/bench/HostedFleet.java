package io.certflow.hosting.bench;

import io.certflow.events.v1.CertificateIssued;
import io.certflow.events.v1.CertificateRequested;
import io.certflow.events.v1.DeploymentCompleted;
import io.certflow.hosting.alerting.ExpiryAlertPolicy;
import io.certflow.hosting.managing.CertificateStatus;
import io.certflow.hosting.managing.ManagedCertificate;
import io.certflow.hosting.managing.RenewalTrigger;
import io.certflow.hosting.renewal.RenewalFacts;
import io.certflow.hosting.renewal.RenewalPlanner;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * A fleet of hosted certificates for {@code ./certflow bench renewals}: certificate {@code i} of {@code hosted},
 * built with the service's own {@link ManagedCertificate} from the events it would have applied (the request, each
 * version's issuance and deployment, each renewal in between, the expiry watch's look after each issuance), so that
 * the documents are the ones hosting-service writes. Exactly {@code due} of them, spread evenly over the fleet,
 * are due now: their planned renewal lies in the half hour before {@code now}. The others are due two weeks to
 * eight months later. Accounts are skewed (a few large resellers, a long tail of small ones); four in five
 * certificates live 90 days, the others 397; a certificate has up to four earlier versions.
 *
 * <p>Deterministic: the same arguments give the same fleet. The renewal times come from
 * {@link RenewalPlanner#defaults()}; {@link #certificate(int)} fails if the certificate does not come out with the
 * planned renewal it was built for, so a changed policy cannot silently change what the benchmark measures.
 */
public final class HostedFleet {

    /** How far before {@code now} the due certificates' renewals are planned, at most. */
    static final Duration DUE_SPREAD = Duration.ofMinutes(30);
    /** The nearest planned renewal of a certificate that is not due. */
    static final Duration NOT_DUE_FROM = Duration.ofDays(14);

    private static final Duration SHORT_LIFETIME = Duration.ofDays(90);
    private static final Duration LONG_LIFETIME = Duration.ofDays(397);
    private static final Instant EPOCH = Instant.parse("2000-01-01T00:00:00Z");
    private static final String ISSUER = "CN=certflow bench intermediate, O=certflow";
    private static final String CHAIN = "-----BEGIN CERTIFICATE-----\nnot stored by hosting\n-----END CERTIFICATE-----\n";

    private final int hosted;
    private final int due;
    private final Instant now;
    private final long seed;
    private final int accounts;
    private final RenewalPlanner planner = RenewalPlanner.defaults();
    private final ExpiryAlertPolicy watch = ExpiryAlertPolicy.defaults();

    /**
     * @param hosted how many certificates
     * @param due    how many of them are due at {@code now} (at most {@code hosted})
     * @param now    the present of the fleet
     * @param seed   varies accounts, names, lifetimes and times
     */
    public HostedFleet(int hosted, int due, Instant now, long seed) {
        if (hosted < 1 || due < 0 || due > hosted) {
            throw new IllegalArgumentException("need 1 or more certificates and 0 to that many due, not " + hosted
                    + " / " + due);
        }
        this.hosted = hosted;
        this.due = due;
        this.now = now;
        this.seed = seed;
        this.accounts = Math.max(1, hosted / 40);
    }

    public int hosted() {
        return hosted;
    }

    public int due() {
        return due;
    }

    public Instant now() {
        return now;
    }

    /** Whether certificate {@code i} is due at {@link #now()}: exactly {@link #due()} are, spread evenly. */
    public boolean isDue(int i) {
        return (long) (i + 1) * due / hosted > (long) i * due / hosted;
    }

    /** The id of certificate {@code i}, shaped like order-service's ({@code crt_} and 26 base32 characters). */
    public String id(int i) {
        return "crt_" + base32(new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (i + 1))).nextLong(), 26);
    }

    /**
     * Certificate {@code i} as hosting-service holds it after its history: hosted, its renewal planned at the time
     * the fleet gives it, its earlier renewals' {@code RenewalDue} still in its outbox (the relay removes them:
     * {@link FleetLoader} writes the outbox empty).
     *
     * @throws IllegalStateException if the service's planning does not give the planned renewal it was built for
     */
    public ManagedCertificate certificate(int i) {
        SplittableRandom r = new SplittableRandom(seed * 31 + i);
        String id = id(i);
        String account = account(r);
        boolean longLived = r.nextInt(5) == 0;
        Duration lifetime = longLived ? LONG_LIFETIME : SHORT_LIFETIME;
        Instant plannedAt = isDue(i)
                ? now.minusMillis(1 + r.nextLong(DUE_SPREAD.toMillis()))
                : now.plus(NOT_DUE_FROM).plusMillis(r.nextLong((longLived ? Duration.ofDays(240)
                        : Duration.ofDays(44)).toMillis()));
        int earlier = longLived ? r.nextInt(2) : r.nextInt(5);
        List<String> domains = domains(r, i);
        boolean deployed = r.nextInt(10) < 6;

        List<String> serials = new ArrayList<>();
        for (int v = 0; v <= earlier; v++) {
            serials.add(hex(r, 18));
        }
        // backwards from the live version: each version starts two minutes after its predecessor's renewal
        Instant[] notBefore = new Instant[serials.size()];
        notBefore[earlier] = plannedAt.minus(renewalOffset(id, serials.get(earlier), lifetime));
        for (int v = earlier - 1; v >= 0; v--) {
            notBefore[v] = notBefore[v + 1].minus(Duration.ofMinutes(2)).minus(renewalOffset(id, serials.get(v), lifetime));
        }
        Instant orderedAt = notBefore[0].minus(Duration.ofMinutes(10));
        int termYears = 1 + r.nextInt(3);
        while (!orderedAt.plus(Duration.ofDays(365L * termYears)).isAfter(plannedAt.plus(Duration.ofDays(1)))) {
            termYears++;
        }
        Instant termEndsAt = orderedAt.plus(Duration.ofDays(365L * termYears));

        ManagedCertificate c = ManagedCertificate.track(id, account, orderedAt);
        CertificateRequested requested = new CertificateRequested(uuid(r), orderedAt, account, id, "ord_" + base32(r.nextLong(), 26),
                domains, longLived ? "ov-annual" : "dv-hosted", termYears, termEndsAt, true, null, null);
        c.requested(requested, planner, orderedAt);
        c.markApplied(requested.eventId());
        String task = "tsk_" + base32(r.nextLong(), 26);
        for (int v = 0; v <= earlier; v++) {
            Instant at = notBefore[v].plus(Duration.ofMinutes(1));
            CertificateIssued issued = new CertificateIssued(uuid(r), at, account, id, "att_" + base32(r.nextLong(), 26),
                    serials.get(v), hex(r, 32), notBefore[v], notBefore[v].plus(lifetime), domains, ISSUER, CHAIN,
                    v == 0 ? null : serials.get(v - 1));
            c.issued(issued, planner, at);
            c.markApplied(issued.eventId());
            c.checkExpiry(watch, at.plusSeconds(30));
            if (deployed) {
                Instant done = at.plus(Duration.ofMinutes(3));
                DeploymentCompleted deployment = new DeploymentCompleted(uuid(r), done, account, id,
                        "job_" + base32(r.nextLong(), 26), task, serials.get(v), v == 0 ? "SUBMIT" : "RENEWAL", true,
                        List.of(new DeploymentCompleted.ResourceResult("res_" + base32(r.nextLong(), 26),
                                domains.get(0), "nginx", "SUCCEEDED", serials.get(v), null)));
                c.deployed(deployment, done);
                c.markApplied(deployment.eventId());
            }
            if (v < earlier) {
                c.startRenewal(c.getNextRenewalAt(), RenewalTrigger.SCHEDULED, c.scheduledRenewalReason());
            }
        }
        if (!plannedAt.equals(c.getNextRenewalAt()) || c.getStatus() != CertificateStatus.HOSTED) {
            throw new IllegalStateException("certificate " + i + " came out " + c.getStatus() + " with its renewal at "
                    + c.getNextRenewalAt() + ", not HOSTED at " + plannedAt + ": the fleet no longer matches the"
                    + " service's renewal planning");
        }
        return c;
    }

    /**
     * The version the service's writes leave on certificate {@code c}: 0 at the request, one more for each issuance
     * and the expiry watch's look after it, each deployment, and each renewal (its claim, its start, the relay's
     * removal of its {@code RenewalDue}).
     */
    static long version(ManagedCertificate c) {
        return 2L * c.getVersions().size() + c.getDeployments().size() + 3L * c.getAttemptCount();
    }

    /** The time from a version's start to its planned renewal under the default policy (jitter included). */
    private Duration renewalOffset(String id, String serial, Duration lifetime) {
        RenewalFacts facts = new RenewalFacts(id, serial, EPOCH, EPOCH.plus(lifetime), null, true, false, null, 0,
                null, null);
        return Duration.between(EPOCH, planner.plan(facts, EPOCH).at());
    }

    /** Skewed: account 0 holds about 3 % of a large fleet, most accounts a handful of certificates. */
    private String account(SplittableRandom r) {
        double u = r.nextDouble();
        return "acc_" + String.format(Locale.ROOT, "%06d", (int) (accounts * u * u * u));
    }

    private static List<String> domains(SplittableRandom r, int i) {
        String zone = "site" + Integer.toString(i, 36) + "-" + base32(r.nextLong(), 6) + ".example";
        return switch (r.nextInt(4)) {
            case 0 -> List.of(zone, "www." + zone);
            case 1 -> List.of("*." + zone, zone);
            default -> List.of("www." + zone);
        };
    }

    private static UUID uuid(SplittableRandom r) {
        return new UUID((r.nextLong() & ~0xF000L) | 0x4000L, (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L);
    }

    private static String hex(SplittableRandom r, int bytes) {
        byte[] b = new byte[bytes];
        r.nextBytes(b);
        b[0] &= 0x7F;
        return HexFormat.of().formatHex(b).replaceFirst("^0+(?=.)", "");
    }

    private static String base32(long bits, int length) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        StringBuilder s = new StringBuilder(length);
        SplittableRandom r = new SplittableRandom(bits);
        for (int k = 0; k < length; k++) {
            s.append(alphabet.charAt(r.nextInt(32)));
        }
        return s.toString();
    }
}
