package io.certflow.deployment.credentials;

import io.certflow.deployment.persistence.ResourceRepository;
import io.certflow.deployment.persistence.TargetCredential;
import io.certflow.deployment.persistence.TargetCredentialRepository;
import io.certflow.deployment.target.DeploymentTarget;
import io.certflow.deployment.target.DeploymentTargets;
import io.certflow.deployment.target.InvalidTargetConfigException;
import io.certflow.deployment.target.TargetAccess;
import io.certflow.platform.secrets.EnvelopeEncryption;
import io.certflow.platform.secrets.SecretDecryptionException;
import io.certflow.platform.web.BadRequestException;
import io.certflow.platform.web.ConflictException;
import io.certflow.platform.web.NotFoundException;
import org.springframework.stereotype.Service;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The accounts' credentials for cloud services and servers: checked by their target when given (a credential
 * that cannot work is refused then, not at the first renewal), stored with the secrets sealed, opened only for
 * the call that needs them, and never shown back.
 */
@Service
public class TargetCredentials {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_NAME = 100;
    private static final int MAX_VALUE = 16_384;

    private final TargetCredentialRepository repository;
    private final ResourceRepository resources;
    private final DeploymentTargets targets;
    private final EnvelopeEncryption envelope;
    private final Clock clock;

    public TargetCredentials(TargetCredentialRepository repository, ResourceRepository resources,
                             DeploymentTargets targets, EnvelopeEncryption envelope, Clock clock) {
        this.repository = repository;
        this.resources = resources;
        this.targets = targets;
        this.envelope = envelope;
        this.clock = clock;
    }

    /**
     * A credential as its owner gives it.
     *
     * @param type     the target type it is for ({@code aws-cloudfront}, {@code ssh}…)
     * @param name     a name for people
     * @param settings what is shown back (region, host, user…)
     * @param secrets  what is sealed and never shown (secret keys, private keys, tokens)
     */
    public record NewCredential(String type, String name, Map<String, String> settings, Map<String, String> secrets) {

        @Override
        public String toString() {
            return "NewCredential[" + type + ", " + name + ", settings=" + settings + ", secrets="
                    + (secrets == null ? "[]" : secrets.keySet()) + "]";
        }
    }

    /**
     * Checks and stores a credential.
     *
     * @throws BadRequestException naming every problem (never a secret's value)
     */
    public TargetCredential create(String accountId, NewCredential given) {
        DeploymentTarget target;
        try {
            target = targets.require(given.type() == null ? null : given.type().strip());
        } catch (InvalidTargetConfigException e) {
            throw new BadRequestException(e.getMessage());
        }
        if (!target.needsCredential() && !target.discovers()) {
            throw new BadRequestException(target.type() + " resources need no credential and are not listed through "
                    + "one; register them directly (POST /api/v1/resources)");
        }
        String name = given.name() == null || given.name().isBlank() ? target.displayName() : given.name().strip();
        if (name.length() > MAX_NAME) {
            throw new BadRequestException("name: at most " + MAX_NAME + " characters");
        }
        Map<String, String> settings = trimmed(given.settings(), "settings");
        Map<String, String> secrets = trimmed(given.secrets(), "secrets");
        String id = "tcred_" + HexFormat.of().formatHex(randomBytes());
        try {
            target.validateCredential(new TargetAccess(id, settings, secrets));
        } catch (InvalidTargetConfigException e) {
            throw new BadRequestException(e.getMessage());
        }
        return repository.save(new TargetCredential(id, accountId, target.type(), name, settings,
                List.copyOf(secrets.keySet()), envelope.sealMap(secrets, context(accountId, id)), clock.instant()));
    }

    /** The account's credentials, oldest first. */
    public List<TargetCredential> list(String accountId) {
        return repository.findByAccountIdOrderByCreatedAtAsc(accountId);
    }

    /** One of the account's credentials; 404 for anyone else's. */
    public TargetCredential get(String accountId, String id) {
        return repository.findByIdAndAccountId(id, accountId)
                .orElseThrow(() -> new NotFoundException("target credential " + id + " not found"));
    }

    /**
     * Removes one of the account's credentials.
     *
     * @throws NotFoundException if it is not the account's
     * @throws ConflictException while resources are reached with it (they could not be deployed to any more)
     */
    public void delete(String accountId, String id) {
        TargetCredential credential = get(accountId, id);
        long using = resources.countByAccountIdAndCredentialId(accountId, id);
        if (using > 0) {
            throw new ConflictException("target credential " + id + " is used by " + using
                    + " resource(s); remove them from their tasks and delete them first");
        }
        repository.delete(credential);
    }

    /**
     * The credential opened for one call.
     *
     * @throws CredentialUnavailableException when it does not exist (any more) or does not open
     */
    public TargetAccess open(String accountId, String id) {
        TargetCredential credential = repository.findByIdAndAccountId(id, accountId).orElseThrow(() ->
                new CredentialUnavailableException("target credential " + id + " does not exist any more"));
        return open(credential);
    }

    /** {@link #open(String, String)} for a credential already read. */
    public TargetAccess open(TargetCredential credential) {
        try {
            return new TargetAccess(credential.getId(), credential.getSettings(),
                    envelope.openMap(credential.getSecrets(), context(credential.getAccountId(), credential.getId())));
        } catch (SecretDecryptionException e) {
            throw new CredentialUnavailableException("target credential " + credential.getId() + " cannot be opened ("
                    + e.getMessage() + "); give it again");
        }
    }

    private static Map<String, String> trimmed(Map<String, String> values, String what) {
        Map<String, String> out = new LinkedHashMap<>();
        if (values != null) {
            values.forEach((k, v) -> {
                if (k != null && !k.isBlank() && v != null && !v.isBlank()) {
                    if (v.length() > MAX_VALUE) {
                        throw new BadRequestException(what + "." + k.strip() + ": at most " + MAX_VALUE + " characters");
                    }
                    out.put(k.strip(), what.equals("secrets") ? v : v.strip());
                }
            });
        }
        return out;
    }

    private static String context(String accountId, String id) {
        return "target-credential:" + accountId + ":" + id;
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
