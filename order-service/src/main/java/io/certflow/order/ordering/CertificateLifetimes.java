package io.certflow.order.ordering;

import java.time.Duration;
import java.time.Instant;

/**
 * The longest a publicly trusted TLS certificate may live, by when it is issued (CA/Browser Forum
 * ballot SC-081): 398 days before 2026-03-15, 200 days from then, 100 from 2027-03-15, 47 from
 * 2029-03-15. Exists to show what a subscription means: a term of 1 to 3 years outlives any one
 * certificate, so hosting renews it again and again until the term ends.
 */
public final class CertificateLifetimes {

    private static final Instant TO_200_DAYS = Instant.parse("2026-03-15T00:00:00Z");
    private static final Instant TO_100_DAYS = Instant.parse("2027-03-15T00:00:00Z");
    private static final Instant TO_47_DAYS = Instant.parse("2029-03-15T00:00:00Z");

    private CertificateLifetimes() {
    }

    /** The longest lifetime of a certificate issued at {@code issuedAt}, in days. */
    public static int maxDays(Instant issuedAt) {
        if (issuedAt.isBefore(TO_200_DAYS)) {
            return 398;
        }
        if (issuedAt.isBefore(TO_100_DAYS)) {
            return 200;
        }
        return issuedAt.isBefore(TO_47_DAYS) ? 100 : 47;
    }

    /**
     * The fewest certificates that cover a term from {@code start} to {@code end}: each lives at most
     * {@link #maxDays} from its issuance (renewing earlier, as hosting does, takes more).
     */
    public static int fewestCertificates(Instant start, Instant end) {
        int count = 0;
        for (Instant t = start; t.isBefore(end); t = t.plus(Duration.ofDays(maxDays(t)))) {
            count++;
        }
        return count;
    }
}
