package io.certflow.issuance.web;

import io.certflow.issuance.caa.CaaCheck;
import io.certflow.issuance.caa.CaaIdentities;
import io.certflow.issuance.issuing.AccountKeyRollover;
import io.certflow.issuance.issuing.AccountKeyRollover.Outcome;
import io.certflow.issuance.issuing.CaAccountView;
import io.certflow.issuance.issuing.CaProfile;
import io.certflow.issuance.issuing.CaProfiles;
import io.certflow.issuance.issuing.StoredCaAccounts;
import io.certflow.issuance.issuing.StoredOrderRateLimiter;
import io.certflow.platform.web.Account;
import io.certflow.platform.web.ConflictException;
import io.certflow.platform.web.NotFoundException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The CA profiles as the caller sees them: {@code GET /api/v1/ca-profiles} and
 * {@code GET /api/v1/ca-profiles/{name}} show each profile's CA, key type, binding key id (never its
 * HMAC key), preferred chain and ACME profile, its CAA pre-check, the caller's ACME account there and how much
 * of its new-order limit it uses; {@code POST /api/v1/ca-profiles/{name}/account/key-rollover} rolls the caller's
 * account key over.
 *
 * <p>Rollover answers: 200 the account (same URL, new key); 404 no such profile; 409 no account at the
 * profile yet (it is created with the first order) or a rollover in flight; 502 the CA refused; 503 the
 * CA could not be asked or did not confirm (the new key is settled on next use).
 */
@RestController
public class CaProfileController {

    private final CaProfiles profiles;
    private final StoredCaAccounts accounts;
    private final StoredOrderRateLimiter limiter;
    private final AccountKeyRollover rollover;
    private final Clock clock;
    private final CaaCheck caaCheck;

    public CaProfileController(CaProfiles profiles, StoredCaAccounts accounts, StoredOrderRateLimiter limiter,
                               AccountKeyRollover rollover, Clock clock, CaaCheck caaCheck) {
        this.caaCheck = caaCheck;
        this.profiles = profiles;
        this.accounts = accounts;
        this.limiter = limiter;
        this.rollover = rollover;
        this.clock = clock;
    }

    @GetMapping("/api/v1/ca-profiles")
    public List<CaProfileView> list(Account account) {
        String defaultName = defaultName();
        return profiles.all().stream().map(p -> view(p, account, defaultName)).toList();
    }

    @GetMapping("/api/v1/ca-profiles/{name}")
    public CaProfileView get(Account account, @PathVariable String name) {
        return view(profile(name), account, defaultName());
    }

    @PostMapping("/api/v1/ca-profiles/{name}/account/key-rollover")
    public AccountView rollOver(Account account, @PathVariable String name) {
        CaProfile profile = profile(name);
        Outcome outcome = rollover.rollOver(account.id(), profile);
        if (outcome instanceof Outcome.RolledOver rolled) {
            return AccountView.of(rolled.account());
        }
        if (outcome instanceof Outcome.NoAccount) {
            throw new ConflictException("There is no ACME account of this account at CA profile '" + name
                    + "' yet; it is created with the first certificate ordered there.");
        }
        if (outcome instanceof Outcome.InProgress inProgress) {
            throw new ConflictException("A key rollover of this account at CA profile '" + name + "' is in progress (since "
                    + inProgress.since() + "); try again in a few minutes.");
        }
        if (outcome instanceof Outcome.Refused refused) {
            throw new RevocationController.CaProblemException(502, "The CA refused the key rollover: "
                    + refused.problem().type() + (refused.problem().detail().isEmpty() ? "" : " - " + refused.problem().detail()));
        }
        Outcome.Unavailable unavailable = (Outcome.Unavailable) outcome;
        throw new RevocationController.CaProblemException(503, "The CA did not confirm the key rollover ("
                + unavailable.message() + "); the new key is kept pending and settled with the CA on next use.");
    }

    private CaProfile profile(String name) {
        return profiles.find(name).orElseThrow(() -> new NotFoundException("no CA profile " + name));
    }

    private String defaultName() {
        try {
            return profiles.profile(null).name();
        } catch (io.certflow.issuance.ca.CaRefusedException e) {
            return null;
        }
    }

    private CaProfileView view(CaProfile p, Account account, String defaultName) {
        Instant now = clock.instant();
        StoredOrderRateLimiter.Usage usage = limiter.usage(p.name(), account.id(), now);
        return new CaProfileView(p.name(), p.name().equals(defaultName), p.directoryUrl(),
                p.settings().catalogueCa().orElse(null),
                new EabView(p.settings().eabKeyId().isPresent(), p.settings().eabKeyId().orElse(null)),
                p.settings().keyType().name(), p.settings().preferredChain().orElse(null),
                p.settings().acmeProfile().orElse(null), p.contactEmail().orElse(null),
                accounts.describe(account.id(), p).map(AccountView::of).orElse(null),
                new RateLimitView(usage.limit().orders(), usage.limit().window().toString(), usage.used(), usage.waiting()),
                CaaView.of(caaCheck.enabled(), p.settings().caaIdentities()));
    }

    /**
     * One CA profile.
     *
     * @param name           the profile name ({@code CertificateRequested.caProfile})
     * @param isDefault      whether requests without a profile use it
     * @param directoryUrl   the ACME directory
     * @param ca             the well-known CA it was configured with, or null
     * @param eab            external account binding
     * @param keyType        the certificate key type when a request names none
     * @param preferredChain the issuer name of the preferred chain, or null
     * @param acmeProfile    the ACME profile sent with new orders, or null
     * @param contactEmail   the contact registered with new accounts, or null
     * @param account        the caller's ACME account there, or null before its first order
     * @param rateLimit      the caller's use of the new-order limit
     * @param caa            the CAA pre-check of the profile
     */
    public record CaProfileView(String name, boolean isDefault, String directoryUrl, String ca, EabView eab,
                                String keyType, String preferredChain, String acmeProfile, String contactEmail,
                                AccountView account, RateLimitView rateLimit, CaaView caa) {
    }

    /**
     * The CAA pre-check of a profile.
     *
     * @param check      {@code on}, or {@code off} when no resolver is configured
     * @param identities the CA's issuer domain names, or null when they are read from the CA's directory at order
     *                   time (the check is skipped for the profile if the directory lists none)
     * @param source     {@code configuration}, {@code catalogue} or {@code directory}
     */
    public record CaaView(String check, List<String> identities, String source) {

        static CaaView of(boolean enabled, CaaIdentities identities) {
            return new CaaView(enabled ? "on" : "off", identities.names().isEmpty() ? null : identities.names(),
                    identities.source().name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    /**
     * @param configured whether a binding is configured
     * @param keyId      its key id (the HMAC key is never shown)
     */
    public record EabView(boolean configured, String keyId) {
    }

    /**
     * The caller's ACME account at a profile.
     *
     * @param url             the account URL at the CA (null while not registered)
     * @param registeredAt    when it was registered
     * @param keyAlgorithm    the account key type
     * @param lastKeyRollover when the key was last rolled over, or null
     * @param rolloverPending whether a rolled-over key still waits to be confirmed with the CA
     */
    public record AccountView(String url, Instant registeredAt, String keyAlgorithm, Instant lastKeyRollover,
                              boolean rolloverPending) {

        static AccountView of(CaAccountView v) {
            return new AccountView(v.accountUrl(), v.registeredAt(), v.keyAlgorithm(), v.lastKeyRollover(),
                    v.rolloverPending());
        }
    }

    /**
     * The new-order limit of the caller's account at a profile.
     *
     * @param newOrders new orders allowed per window
     * @param window    the window (ISO-8601 duration)
     * @param used      new orders placed inside the current window
     * @param waiting   attempts waiting in line for a slot
     */
    public record RateLimitView(int newOrders, String window, int used, long waiting) {
    }
}
