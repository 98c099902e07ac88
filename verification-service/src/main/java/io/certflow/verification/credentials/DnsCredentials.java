package io.certflow.verification.credentials;

import io.certflow.platform.secrets.EnvelopeEncryption;
import io.certflow.platform.secrets.SecretDecryptionException;
import io.certflow.verification.dns.provider.DnsProvider;
import io.certflow.verification.dns.provider.DnsProviderFactory;
import io.certflow.verification.dns.provider.ProviderKind;
import io.certflow.verification.persistence.DnsCredential;
import io.certflow.verification.persistence.DnsCredentialRepository;
import io.certflow.verification.persistence.DomainAuthorization;
import io.certflow.verification.persistence.DomainAuthorizationRepository;
import org.springframework.stereotype.Service;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The accounts' DNS provider credentials: checked when given (a credential whose settings cannot work is refused
 * then, not at the first challenge), stored with the secrets sealed, and opened only to build the
 * {@link DnsProvider} that publishes challenge records.
 */
@Service
public class DnsCredentials {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final DnsCredentialRepository repository;
    private final DomainAuthorizationRepository authorizations;
    private final EnvelopeEncryption envelope;
    private final DnsProviderFactory factory;
    private final Clock clock;
    /** Built providers by credential id (a credential never changes; each provider keeps its HTTP client). */
    private final Map<String, DnsProvider> built = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, DnsProvider> eldest) {
                    return size() > 1000;
                }
            });

    public DnsCredentials(DnsCredentialRepository repository, DomainAuthorizationRepository authorizations,
                          EnvelopeEncryption envelope, DnsProviderFactory factory, Clock clock) {
        this.repository = repository;
        this.authorizations = authorizations;
        this.envelope = envelope;
        this.factory = factory;
        this.clock = clock;
    }

    /**
     * A credential as given by its owner.
     *
     * @param name     a name for people, e.g. "production BIND"
     * @param provider a {@link ProviderKind} name
     * @param settings what is shown back (server, key name, access key id…)
     * @param secrets  what is sealed and never shown (TSIG secret, secret access key, API token…)
     */
    public record NewCredential(String name, String provider, Map<String, String> settings,
                                Map<String, String> secrets) {

        @Override
        public String toString() {
            return "NewCredential[" + name + ", " + provider + ", settings=" + settings + ", secrets="
                    + (secrets == null ? "[]" : secrets.keySet()) + "]";
        }
    }

    /**
     * Checks and stores a new credential.
     *
     * @throws InvalidCredentialException with every problem, never repeating a secret
     */
    public DnsCredential create(String accountId, NewCredential given) {
        ProviderKind kind;
        try {
            kind = ProviderKind.parse(given.provider());
        } catch (IllegalArgumentException e) {
            throw new InvalidCredentialException(e.getMessage());
        }
        String name = given.name() == null || given.name().isBlank() ? kind.name() : given.name().strip();
        if (name.length() > 100) {
            throw new InvalidCredentialException("the name is longer than 100 characters");
        }
        Map<String, String> settings = trimmed(given.settings());
        Map<String, String> secrets = trimmed(given.secrets());
        try {
            factory.create(kind, settings, secrets);
        } catch (IllegalArgumentException e) {
            throw new InvalidCredentialException(e.getMessage());
        }
        String id = "dnscred_" + HexFormat.of().formatHex(randomBytes());
        return repository.save(new DnsCredential(id, accountId, name, kind.name(), settings,
                List.copyOf(secrets.keySet()), envelope.sealMap(secrets, context(accountId, id)), clock.instant()));
    }

    /** The account's credentials, oldest first. */
    public List<DnsCredential> list(String accountId) {
        return repository.findByAccountIdOrderByCreatedAt(accountId);
    }

    /** One of the account's credentials. */
    public Optional<DnsCredential> find(String accountId, String id) {
        return repository.findByIdAndAccountId(id, accountId);
    }

    /**
     * Removes one of the account's credentials; whether it existed.
     *
     * @throws CredentialInUseException while domains use it (they would fail their next challenge)
     */
    public boolean delete(String accountId, String id) {
        Optional<DnsCredential> found = find(accountId, id);
        if (found.isEmpty()) {
            return false;
        }
        List<String> domains = authorizations.findByAccountIdAndCredentialId(accountId, id).stream()
                .map(DomainAuthorization::getDomain).sorted().toList();
        if (!domains.isEmpty()) {
            throw new CredentialInUseException("The DNS credential " + id + " is used by " + String.join(", ", domains)
                    + ". Choose another method for them first (PUT /api/v1/domains/{domain}/method).");
        }
        repository.delete(found.get());
        built.remove(id);
        return true;
    }

    /**
     * The provider behind one of the account's credentials.
     *
     * @throws CredentialUnavailableException when it does not exist (any more) or cannot be opened
     */
    public DnsProvider provider(String accountId, String id) {
        DnsCredential credential = find(accountId, id).orElseThrow(() -> new CredentialUnavailableException(
                "The DNS credential " + id + " does not exist (any more). Choose another credential for the domain."));
        DnsProvider cached = built.get(id);
        if (cached != null) {
            return cached;
        }
        DnsProvider provider = open(credential);
        built.put(id, provider);
        return provider;
    }

    private DnsProvider open(DnsCredential credential) {
        String accountId = credential.getAccountId();
        String id = credential.getId();
        Map<String, String> secrets;
        try {
            secrets = envelope.openMap(credential.getSecrets(), context(accountId, id));
        } catch (SecretDecryptionException e) {
            throw new CredentialUnavailableException("The DNS credential " + id + " cannot be opened ("
                    + e.getMessage() + "). Give the credential again.");
        }
        try {
            return factory.create(ProviderKind.parse(credential.getKind()), credential.getSettings(), secrets);
        } catch (IllegalArgumentException e) {
            throw new CredentialUnavailableException("The DNS credential " + id + " is no longer usable. Give the"
                    + " credential again.");
        }
    }

    private static Map<String, String> trimmed(Map<String, String> values) {
        Map<String, String> out = new LinkedHashMap<>();
        if (values != null) {
            values.forEach((k, v) -> {
                if (k != null && v != null && !v.isBlank()) {
                    out.put(k.strip(), v.strip());
                }
            });
        }
        return out;
    }

    private static String context(String accountId, String id) {
        return "dns-credential:" + accountId + ":" + id;
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
