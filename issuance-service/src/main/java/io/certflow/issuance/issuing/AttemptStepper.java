package io.certflow.issuance.issuing;

import io.certflow.issuance.ca.CaAccount;
import io.certflow.issuance.ca.CaException;
import io.certflow.issuance.ca.CaProblem;
import io.certflow.issuance.ca.CaRateLimitedException;
import io.certflow.issuance.ca.CaRefusedException;
import io.certflow.issuance.ca.CaTransientException;
import io.certflow.issuance.ca.CertificateAuthority;
import io.certflow.issuance.ca.DnsChallenge;
import io.certflow.issuance.ca.OrderHandle;
import io.certflow.issuance.ca.OrderState;
import io.certflow.issuance.ca.OrderStatus;
import io.certflow.issuance.ca.PlacedOrder;
import io.certflow.issuance.caa.CaaCheck;
import io.certflow.issuance.caa.CaaIssuer;
import io.certflow.issuance.caa.CaaRefusal;
import io.certflow.issuance.keys.CertificateChain;
import io.certflow.issuance.keys.CsrFactory;
import io.certflow.issuance.keys.KeyEncoding;
import io.certflow.issuance.keys.KeyType;
import io.certflow.issuance.keys.KeyVault;
import io.certflow.platform.secrets.SealedSecret;
import io.certflow.issuance.persistence.AttemptState;
import io.certflow.issuance.persistence.CertificateVersion;
import io.certflow.issuance.persistence.IssuanceAttempt;
import io.certflow.issuance.persistence.PendingChallenge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Advances one issuance attempt by one step through the {@link CertificateAuthority} port, and
 * decides what follows: the use case behind the poller. It never waits: a step is a few short
 * requests, and "not yet" becomes a later {@code nextPollAt}.
 *
 * <p>Decisions: transient CA errors back off exponentially (never before {@code Retry-After}) and give
 * up retryable after too many in a row; refusals fail with the CA's problem type; a step that waits
 * too long (challenges never confirmed, CA never validating) fails retryable; CAA that forbids the profile's CA
 * fails final before any order is placed. The certificate key is made and sealed when the order is ready, and
 * stored before the CSR is sent.
 */
public class AttemptStepper {

    private static final Logger log = LoggerFactory.getLogger(AttemptStepper.class);
    /**
     * How long after its start an attempt may stay parked by the CA's {@code rateLimited} answers (Let's
     * Encrypt's longest limits reset within a week); past it the attempt fails, retryable.
     */
    static final java.time.Duration MAX_RATE_LIMIT_PARKING = java.time.Duration.ofDays(7);

    private final CaProfiles profiles;
    private final CaAccounts accounts;
    private final KeyVault vault;
    private final VersionStore versions;
    private final BackoffPolicy backoff;
    private final Timing timing;
    private final Clock clock;
    private final OrderRateLimiter limiter;
    private final RenewalInfoCheck renewalInfo;
    private OrderIntents intents = IN_MEMORY_INTENTS;
    private CaaCheck caa = CaaCheck.off();
    private CaCircuitBreaker circuit = CaCircuitBreaker.NONE;

    /** Intents kept on the document only (unit tests, and callers that save nothing between steps). */
    static final OrderIntents IN_MEMORY_INTENTS = new OrderIntents() {
        @Override
        public void record(IssuanceAttempt attempt, Instant at) {
            attempt.orderIntended(at);
        }

        @Override
        public boolean orderTaken(String orderUrl) {
            return false;
        }

        @Override
        public boolean othersMayOwn(IssuanceAttempt attempt) {
            return false;
        }
    };

    /**
     * The waits of the state machine. An order the CA works on is polled first after {@code firstPollDelay}, then
     * after as long again as it has already waited in its state, but never more than {@code orderPollDelay} apart:
     * a CA that validates at once (Pebble) is seen at once, one that takes seconds is not polled more than a few
     * times more than at the fixed delay. A {@code Retry-After} of the CA always wins.
     *
     * @param orderPollDelay    most time between two polls of an order
     * @param challengeTimeout  longest wait for {@code ChallengeReady}
     * @param validationTimeout longest wait for the CA to validate, and again to issue
     * @param firstPollDelay    the first poll after the challenges were triggered or the order finalized
     */
    public record Timing(Duration orderPollDelay, Duration challengeTimeout, Duration validationTimeout,
                         Duration firstPollDelay) {

        public Timing {
            if (firstPollDelay.compareTo(orderPollDelay) > 0) {
                firstPollDelay = orderPollDelay;
            }
        }

        /** A timing that polls every {@code orderPollDelay} from the start. */
        public Timing(Duration orderPollDelay, Duration challengeTimeout, Duration validationTimeout) {
            this(orderPollDelay, challengeTimeout, validationTimeout, orderPollDelay);
        }

        /** The timing of the configuration. */
        public static Timing of(IssuanceProperties properties) {
            return new Timing(properties.orderPollDelay(), properties.challengeTimeout(), properties.validationTimeout(),
                    properties.firstPollDelay());
        }

        /** When to poll again an order that has waited {@code waited} in its state. */
        Duration pollDelay(Duration waited) {
            Duration delay = waited.compareTo(firstPollDelay) < 0 ? firstPollDelay : waited;
            return delay.compareTo(orderPollDelay) > 0 ? orderPollDelay : delay;
        }
    }

    /** A stepper without a new-order limit. */
    public AttemptStepper(CaProfiles profiles, CaAccounts accounts, KeyVault vault, VersionStore versions,
                          BackoffPolicy backoff, Timing timing, Clock clock) {
        this(profiles, accounts, vault, versions, backoff, timing, clock, OrderRateLimiter.UNLIMITED);
    }

    /** A stepper that takes a slot of {@code limiter} before each new ACME order. */
    public AttemptStepper(CaProfiles profiles, CaAccounts accounts, KeyVault vault, VersionStore versions,
                          BackoffPolicy backoff, Timing timing, Clock clock, OrderRateLimiter limiter) {
        this(profiles, accounts, vault, versions, backoff, timing, clock, limiter, RenewalInfoCheck.DEFAULTS);
    }

    /**
     * A stepper that also asks the CA for the renewal window (RFC 9773) of each certificate it downloads,
     * with {@code renewalInfo}'s bounds on when to ask again.
     */
    public AttemptStepper(CaProfiles profiles, CaAccounts accounts, KeyVault vault, VersionStore versions,
                          BackoffPolicy backoff, Timing timing, Clock clock, OrderRateLimiter limiter,
                          RenewalInfoCheck renewalInfo) {
        this.renewalInfo = renewalInfo;
        this.limiter = limiter;
        this.profiles = profiles;
        this.accounts = accounts;
        this.vault = vault;
        this.versions = versions;
        this.backoff = backoff;
        this.timing = timing;
        this.clock = clock;
    }

    /**
     * Records each intent to place an order with {@code orderIntents} (durably, before the CA is asked), so that
     * an attempt found later with an intent but no order URL looks for its order at the CA first.
     */
    public AttemptStepper withOrderIntents(OrderIntents orderIntents) {
        this.intents = java.util.Objects.requireNonNull(orderIntents);
        return this;
    }

    /**
     * Checks CAA with {@code caaCheck} before each new ACME order (not when an order the CA holds is adopted): a
     * definite refusal fails the attempt, final, with {@link IssuanceProblems#CAA_FORBIDDEN}, and no order is placed.
     */
    public AttemptStepper withCaaCheck(CaaCheck caaCheck) {
        this.caa = java.util.Objects.requireNonNull(caaCheck);
        return this;
    }

    /**
     * Asks the CA of each step through {@code caCircuit}: while a profile's circuit is open, its attempts wait
     * ({@link IssuanceAttempt#waitForCa}) instead of failing one request after another.
     */
    public AttemptStepper withCircuitBreaker(CaCircuitBreaker caCircuit) {
        this.circuit = java.util.Objects.requireNonNull(caCircuit);
        return this;
    }

    /**
     * One step for {@code attempt}; the returned change records the outcome. The attempt is changed here only
     * by the intent written before a new order is asked for ({@link OrderIntents#record}).
     */
    public AttemptChange advance(IssuanceAttempt attempt) {
        if (!ASKS_CA.contains(attempt.getState())) {
            return advanceAskingCa(attempt);
        }
        String profile;
        try {
            profile = profiles.profile(attempt.getCaProfile()).name();
        } catch (RuntimeException | CaException e) {
            return advanceAskingCa(attempt); // the step fails on the unknown profile as it did
        }
        Instant now = clock.instant();
        Optional<Instant> parkedUntil = circuit.parkedUntil(profile, now);
        if (parkedUntil.isPresent()) {
            log.debug("attempt {}: the circuit of CA profile {} is open; waits until {}", attempt.getId(), profile,
                    parkedUntil.get());
            return a -> a.waitForCa(now, parkedUntil.get());
        }
        CaTransientException[] unreachable = new CaTransientException[1];
        boolean[] answered = new boolean[1];
        AttemptChange change;
        try {
            change = advance(attempt, unreachable, answered);
        } finally {
            if (unreachable[0] != null) {
                circuit.unreachable(profile, unreachable[0]);
            } else if (answered[0]) {
                circuit.reached(profile);
            } else {
                circuit.released(profile);
            }
        }
        return change;
    }

    /** The states whose step sends requests to the CA. */
    private static final java.util.Set<AttemptState> ASKS_CA = java.util.EnumSet.of(AttemptState.NEW,
            AttemptState.CHALLENGES_READY, AttemptState.VALIDATING, AttemptState.FINALIZING);

    private AttemptChange advanceAskingCa(IssuanceAttempt attempt) {
        return advance(attempt, new CaTransientException[1], new boolean[1]);
    }

    private AttemptChange advance(IssuanceAttempt attempt, CaTransientException[] unreachable, boolean[] answered) {
        String[] grantedSlot = new String[1];
        AttemptChange change = step(attempt, grantedSlot, unreachable, answered);
        if (grantedSlot[0] == null) {
            return change;
        }
        String profile = grantedSlot[0];
        return a -> {
            a.rateLimitSlotGranted(profile);
            change.applyTo(a);
        };
    }

    private AttemptChange step(IssuanceAttempt attempt, String[] grantedSlot, CaTransientException[] unreachable,
                               boolean[] answered) {
        Instant now = clock.instant();
        CaProfile profile = null;
        try {
            profile = profiles.profile(attempt.getCaProfile());
            KeyType keyType = keyTypeOf(attempt, profile);
            AttemptChange change = switch (attempt.getState()) {
                case NEW -> placeOrder(attempt, profile, now, grantedSlot);
                case AWAITING_CHALLENGES -> awaitChallenges(attempt, now);
                case CHALLENGES_READY -> triggerChallenges(attempt, profile, now);
                case VALIDATING -> validate(attempt, profile, keyType, now);
                case FINALIZING -> finalizeOrder(attempt, profile, keyType, now);
                default -> a -> { };
            };
            answered[0] = true;
            return change;
        } catch (CaRateLimitedException e) {
            answered[0] = true;
            if (e.retryAfter().isPresent()) {
                Instant until = e.retryAfter().get();
                log.info("attempt {}: the CA rate-limits the account; parked until {}", attempt.getId(), until);
                Instant giveUpAt = attempt.getCreatedAt().plus(MAX_RATE_LIMIT_PARKING);
                return a -> a.parkedByCa(e.getMessage(), e.problemType(), now, until, giveUpAt);
            }
            log.info("attempt {}: rate limited by the CA without Retry-After: {}", attempt.getId(), e.getMessage());
            return a -> {
                int failures = a.getTransientFailures() + 1;
                a.transientFailure(e.getMessage(), e.problemType(), now,
                        backoff.nextTry(failures, now, null), backoff.exhausted(failures));
            };
        } catch (CaTransientException e) {
            unreachable[0] = e;
            log.info("attempt {}: transient CA failure: {}", attempt.getId(), e.getMessage());
            Instant retryAfter = e.retryAfter().orElse(null);
            return a -> {
                int failures = a.getTransientFailures() + 1;
                a.transientFailure(e.getMessage(), e.problemType(), now,
                        backoff.nextTry(failures, now, retryAfter), backoff.exhausted(failures));
            };
        } catch (CaRefusedException e) {
            answered[0] = true;
            if (profile != null && e.problemType().endsWith(":accountDoesNotExist")) {
                log.warn("attempt {}: the CA no longer knows the account; registering again", attempt.getId());
                accounts.forget(attempt.getAccountId(), profile);
                return a -> {
                    int failures = a.getTransientFailures() + 1;
                    a.transientFailure("the CA no longer knows the account: " + e.detail(), e.problemType(), now,
                            now, backoff.exhausted(failures));
                };
            }
            log.info("attempt {}: refused: {}", attempt.getId(), e.getMessage());
            return a -> a.fail(reasonOf(e), e.problemType(), e.retryable(), now);
        } catch (CaException e) {
            // CaException is sealed: unreachable, kept for the compiler
            throw new IllegalStateException(e);
        } catch (RuntimeException e) {
            log.error("attempt {}: unexpected failure in state {}", attempt.getId(), attempt.getState(), e);
            String error = "internal error: " + e.getClass().getSimpleName();
            return a -> {
                int failures = a.getTransientFailures() + 1;
                a.transientFailure(error, IssuanceProblems.CA_UNAVAILABLE, now,
                        backoff.nextTry(failures, now, null), backoff.exhausted(failures));
            };
        }
    }

    private AttemptChange placeOrder(IssuanceAttempt attempt, CaProfile profile, Instant now, String[] grantedSlot)
            throws CaException {
        NewOrderLimit.Decision slot = limiter.acquire(profile.name(), attempt, now);
        String profileName = profile.name();
        if (!slot.granted()) {
            log.info("attempt {}: new-order limit of profile {} reached; waits until {}", attempt.getId(),
                    profileName, slot.retryAt());
            return a -> a.waitForRateLimit(profileName, now, slot.retryAt());
        }
        if (attempt.getWaitingForRateLimitSince() != null) {
            grantedSlot[0] = profileName;
        }
        CaAccount account = accounts.accountFor(attempt.getAccountId(), profile);
        if (attempt.getOrderIntentAt() != null) {
            Optional<PlacedOrder> adopted = findOwnOrder(attempt, profile, account);
            if (adopted.isPresent()) {
                return placed(adopted.get(), now);
            }
        }
        Optional<CaaRefusal> caaRefusal = caaRefusal(attempt, profile, account);
        if (caaRefusal.isPresent()) {
            String reason = caaRefusal.get().sentence();
            log.info("attempt {}: no order placed: {}", attempt.getId(), reason);
            return a -> a.fail(reason, IssuanceProblems.CAA_FORBIDDEN, false, now);
        }
        Optional<String> replaced = Optional.ofNullable(attempt.getReplacesSerialNumber())
                .flatMap(serial -> versions.chainPem(attempt.getCertificateId(), serial));
        intents.record(attempt, now);
        PlacedOrder placed = profile.authority().placeOrder(account, attempt.getDomains(), replaced);
        return placed(placed, now);
    }

    /**
     * CAA's definite "not allowed" for the profile's CA identities (configured or catalogue, else the CA
     * directory's); empty when allowed, when the check is off, or when the CA's identities are unknown.
     */
    private Optional<CaaRefusal> caaRefusal(IssuanceAttempt attempt, CaProfile profile, CaAccount account) {
        if (!caa.enabled()) {
            return Optional.empty();
        }
        List<String> identities = profile.settings().caaIdentities().names();
        if (identities.isEmpty()) {
            try {
                identities = profile.authority().caaIdentities();
            } catch (CaException e) {
                log.info("attempt {}: CAA not checked: the CA's identities could not be read ({})", attempt.getId(),
                        e.getMessage());
                return Optional.empty();
            }
        }
        if (identities.isEmpty()) {
            log.debug("attempt {}: CAA not checked: CA profile {} has no CAA identity", attempt.getId(), profile.name());
            return Optional.empty();
        }
        return caa.check(attempt.getDomains(),
                new CaaIssuer(profile.name(), identities, account.accountUrl().toString()));
    }

    /**
     * The attempt asked the CA for an order before (at {@code orderIntentAt}) and never stored the answer: a
     * crash or a timeout between the request and the write. Looks at the account's open orders for exactly the
     * attempt's domains and takes one that no attempt holds, unless another running attempt of the same ACME
     * account asked for an order for the same domains too (then it cannot tell whose it is). Empty: place a new
     * order (the CA may then hold an abandoned one, which expires there unused).
     */
    private Optional<PlacedOrder> findOwnOrder(IssuanceAttempt attempt, CaProfile profile, CaAccount account)
            throws CaException {
        Optional<List<PlacedOrder>> open = profile.authority().findOpenOrders(account, attempt.getDomains());
        if (open.isEmpty()) {
            log.warn("attempt {}: asked CA profile {} for an order at {} without storing the answer, and the CA does not"
                    + " list an account's orders; placing a new order (a CA order may be abandoned)", attempt.getId(),
                    profile.name(), attempt.getOrderIntentAt());
            return Optional.empty();
        }
        List<PlacedOrder> untaken = open.get().stream()
                .filter(o -> !intents.orderTaken(o.handle().orderUrl().toString())).toList();
        if (untaken.isEmpty()) {
            log.info("attempt {}: asked for an order at {}; the CA holds no open order for {} that is not another"
                    + " attempt's, so none was created; placing one", attempt.getId(), attempt.getOrderIntentAt(),
                    attempt.getDomains());
            return Optional.empty();
        }
        if (intents.othersMayOwn(attempt)) {
            log.warn("attempt {}: {} open order(s) for {} at the CA, but another attempt of the same ACME account asked"
                    + " for one too; placing a new order (a CA order may be abandoned)", attempt.getId(), untaken.size(),
                    attempt.getDomains());
            return Optional.empty();
        }
        PlacedOrder own = untaken.get(0);
        if (untaken.size() > 1) {
            log.warn("attempt {}: {} open orders for {} nobody holds; adopting {}, the others are abandoned",
                    attempt.getId(), untaken.size(), attempt.getDomains(), own.handle().orderUrl());
        }
        log.info("attempt {}: adopted order {} created at the CA after the intent of {} (its answer was lost)",
                attempt.getId(), own.handle().orderUrl(), attempt.getOrderIntentAt());
        return Optional.of(own);
    }

    private AttemptChange placed(PlacedOrder placed, Instant now) throws CaException {
        if (placed.state().status() == OrderStatus.INVALID) {
            CaProblem problem = placed.state().problemReport()
                    .orElse(new CaProblem(IssuanceProblems.CA_INCONSISTENT, "the CA created the order as invalid"));
            throw new CaRefusedException(problem, true);
        }
        String orderUrl = placed.handle().orderUrl().toString();
        List<PendingChallenge> challenges = placed.challenges().stream()
                .map(c -> new PendingChallenge(c.domain(), c.recordName(), c.txtValue(), c.challengeUrl().toString()))
                .toList();
        Instant challengeDeadline = now.plus(timing.challengeTimeout());
        return a -> a.orderPlaced(orderUrl, challenges, now, challengeDeadline);
    }

    private AttemptChange awaitChallenges(IssuanceAttempt attempt, Instant now) {
        Instant deadline = attempt.getStateSince().plus(timing.challengeTimeout());
        if (now.isBefore(deadline)) {
            return a -> a.stillWaiting(now, deadline);
        }
        String reason = "The challenge TXT records were not confirmed within " + timing.challengeTimeout();
        return a -> a.fail(reason, IssuanceProblems.CHALLENGE_TIMEOUT, true, now);
    }

    private AttemptChange triggerChallenges(IssuanceAttempt attempt, CaProfile profile, Instant now) throws CaException {
        OrderHandle handle = handle(attempt, profile);
        List<DnsChallenge> challenges = attempt.getChallenges().stream()
                .map(c -> new DnsChallenge(c.domain(), c.recordName(), c.txtValue(), URI.create(c.challengeUrl())))
                .toList();
        profile.authority().triggerChallenges(handle, challenges);
        Instant next = now.plus(timing.firstPollDelay());
        return a -> a.challengesTriggered(now, next);
    }

    private AttemptChange validate(IssuanceAttempt attempt, CaProfile profile, KeyType keyType, Instant now)
            throws CaException {
        Optional<AttemptChange> timedOut = timedOut(attempt, now, "validate the domains");
        if (timedOut.isPresent()) {
            return timedOut.get();
        }
        OrderState state = profile.authority().poll(handle(attempt, profile));
        return switch (state.status()) {
            case PENDING, PROCESSING -> waitFor(attempt, state, now);
            case READY -> {
                KeyPair key = reusedKey(attempt, keyType).orElseGet(keyType::generate);
                SealedSecret sealed = vault.seal(key.getPrivate(),
                        IssuanceAttempt.keyContext(attempt.getCertificateId(), attempt.getId()));
                String publicKey = Base64.getEncoder().encodeToString(key.getPublic().getEncoded());
                yield a -> a.keyCreated(sealed, publicKey, now);
            }
            case VALID -> {
                String reason = "The order was finalized without this attempt's key";
                yield a -> a.fail(reason, IssuanceProblems.CA_INCONSISTENT, true, now);
            }
            case INVALID -> failed(state, now);
        };
    }

    private AttemptChange finalizeOrder(IssuanceAttempt attempt, CaProfile profile, KeyType keyType, Instant now)
            throws CaException {
        Optional<AttemptChange> timedOut = timedOut(attempt, now, "issue the certificate");
        if (timedOut.isPresent()) {
            return timedOut.get();
        }
        OrderHandle handle = handle(attempt, profile);
        OrderState state = profile.authority().poll(handle);
        return switch (state.status()) {
            case READY -> {
                KeyPair key = certificateKey(attempt, keyType);
                profile.authority().finalizeOrder(handle, CsrFactory.create(key, keyType, attempt.getDomains()));
                Instant next = now.plus(timing.firstPollDelay());
                yield a -> a.stillWaiting(now, next);
            }
            case PENDING, PROCESSING -> waitFor(attempt, state, now);
            case VALID -> {
                CertificateChain chain = CertificateChain.parse(profile.authority().downloadCertificate(handle));
                KeyPair key = certificateKey(attempt, keyType);
                if (!chain.leaf().getPublicKey().equals(key.getPublic())) {
                    String reason = "The CA returned a certificate for another key";
                    yield a -> a.fail(reason, IssuanceProblems.CA_INCONSISTENT, true, now);
                }
                RenewalInfoCheck.Outcome window = renewalInfo.check(profile.authority().renewalInformation(),
                        handle.account(), chain.pem(), now);
                versions.store(CertificateVersion.of(attempt, chain, keyType.algorithm(), now)
                        .withRenewalWindow(window.window(), window.nextCheckAt(), now));
                log.info("attempt {}: certificate {} issued for {}{}", attempt.getId(), chain.serialNumber(),
                        attempt.getDomains(), window.window() == null ? "" : ", renewal window " + window.window());
                yield a -> a.issued(chain, window.window(), now);
            }
            case INVALID -> failed(state, now);
        };
    }

    private Optional<AttemptChange> timedOut(IssuanceAttempt attempt, Instant now, String what) {
        if (now.isBefore(attempt.getStateSince().plus(timing.validationTimeout()))) {
            return Optional.empty();
        }
        String reason = "The CA did not " + what + " within " + timing.validationTimeout();
        return Optional.of(a -> a.fail(reason, IssuanceProblems.VALIDATION_TIMEOUT, true, now));
    }

    private AttemptChange waitFor(IssuanceAttempt attempt, OrderState state, Instant now) {
        Duration waited = attempt.getStateSince() == null ? Duration.ZERO : Duration.between(attempt.getStateSince(), now);
        Instant next = now.plus(timing.pollDelay(waited.isNegative() ? Duration.ZERO : waited));
        Instant retryAfter = state.retryAfter();
        Instant when = retryAfter != null && retryAfter.isAfter(next) ? retryAfter : next;
        return a -> a.stillWaiting(now, when);
    }

    private static AttemptChange failed(OrderState state, Instant now) {
        CaProblem problem = state.problemReport()
                .orElse(new CaProblem(IssuanceProblems.CA_INCONSISTENT, "the CA marked the order invalid"));
        String reason = problem.detail().isEmpty() ? "The CA marked the order invalid (" + problem.shortType() + ")"
                : problem.detail();
        return a -> a.fail(reason, problem.type(), retryableInvalid(problem), now);
    }

    /** An order invalidated by a failed challenge can succeed later (records fixed); a malformed one cannot. */
    private static boolean retryableInvalid(CaProblem problem) {
        return switch (problem.shortType()) {
            case "malformed", "rejectedIdentifier", "unsupportedIdentifier", "badCSR" -> false;
            default -> true;
        };
    }

    private KeyPair certificateKey(IssuanceAttempt attempt, KeyType keyType) {
        if (attempt.getCertificateKey() == null) {
            throw new IllegalStateException("attempt " + attempt.getId() + " has no certificate key");
        }
        return vault.openKeyPair(attempt.getCertificateKey(), Base64.getDecoder().decode(attempt.getCertificatePublicKey()),
                keyType.algorithm(), IssuanceAttempt.keyContext(attempt.getCertificateId(), attempt.getId()));
    }

    private OrderHandle handle(IssuanceAttempt attempt, CaProfile profile) throws CaException {
        return new OrderHandle(accounts.accountFor(attempt.getAccountId(), profile), URI.create(attempt.getOrderUrl()));
    }

    /** The key type the request named, else the profile's default key type. */
    /**
     * The key of the replaced version, when the certificate keeps its key ({@code reuseKey}) and that key is of
     * the wanted type; empty otherwise (a new key then, as by default).
     */
    private Optional<KeyPair> reusedKey(IssuanceAttempt attempt, KeyType keyType) {
        if (!attempt.isReuseKey()) {
            return Optional.empty();
        }
        Optional<CertificateVersion> replaced = versions.find(attempt.getCertificateId(), attempt.getReplacesSerialNumber());
        if (replaced.isEmpty()) {
            log.warn("attempt {}: version {} to take the key from is not stored; a new key is made",
                    attempt.getId(), attempt.getReplacesSerialNumber());
            return Optional.empty();
        }
        CertificateVersion version = replaced.get();
        java.security.PublicKey publicKey = io.certflow.issuance.keys.CertificateChain
                .parse(version.getCertificateChainPem()).leaf().getPublicKey();
        if (KeyType.of(publicKey).filter(keyType::equals).isEmpty()) {
            log.info("attempt {}: the key of version {} is not {}; a new key is made", attempt.getId(),
                    version.getSerialNumber(), keyType);
            return Optional.empty();
        }
        log.info("attempt {}: reusing the key of version {} (reuseKey)", attempt.getId(), version.getSerialNumber());
        return Optional.of(new KeyPair(publicKey,
                vault.openPrivateKey(version.getPrivateKey(), version.getKeyAlgorithm(), version.keyContext())));
    }

    private static KeyType keyTypeOf(IssuanceAttempt attempt, CaProfile profile) throws CaRefusedException {
        if (attempt.getKeyType() == null || attempt.getKeyType().isBlank()) {
            return profile.settings().keyType();
        }
        try {
            return KeyType.parse(attempt.getKeyType());
        } catch (IllegalArgumentException e) {
            throw new CaRefusedException(new CaProblem(IssuanceProblems.UNSUPPORTED_KEY_TYPE, e.getMessage()), false);
        }
    }

    private static String reasonOf(CaRefusedException e) {
        return e.detail().isEmpty() ? "The CA refused (" + e.problem().shortType() + ")" : e.detail();
    }

    /** Whether {@code state} is one this stepper advances. */
    public static boolean advances(AttemptState state) {
        return AttemptState.POLLED.contains(state);
    }
}
