package io.certflow.deployment.target.kubernetes;

import io.certflow.deployment.target.CertificateBundle;
import io.certflow.deployment.target.DeploymentOutcome;
import io.certflow.deployment.target.DeploymentOutcome.Status;
import io.certflow.deployment.target.ConfiguredTarget;
import io.certflow.deployment.target.CredentialField;
import io.certflow.deployment.target.DiscoveredResource;
import io.certflow.deployment.target.InvalidTargetConfigException;
import io.certflow.deployment.target.PreviousCertificate;
import io.certflow.deployment.target.ReadBack;
import io.certflow.deployment.target.ReadBackCheck;
import io.certflow.deployment.target.TargetAccess;
import io.certflow.deployment.target.TargetException;
import io.certflow.deployment.target.TargetResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Deploys a certificate into a {@code kubernetes.io/tls} Secret ({@code tls.crt} = chain, {@code tls.key} =
 * key), the Secret that Ingresses and gateways name, through the cluster's API server with a service account
 * token.
 *
 * <p>A deployment reads the Secret (kept as the previous certificate), creates or replaces it with the
 * resourceVersion it read (a concurrent change fails and is retried, never overwritten), marks it as certflow's,
 * and reads it back from the API server: the leaf serial of {@code tls.crt} is the proof. If the API server does
 * not hold the new leaf, the previous data is put back (or the Secret certflow created is deleted) and the
 * outcome is {@code ROLLED_BACK}. A Secret of another type, an immutable one or one cert-manager owns is never
 * touched. What the ingress controller then serves is beyond the API server, and beyond this proof.
 *
 * <p>Discovery lists Ingresses: each TLS section becomes a resource, picked by its host names.
 */
public class KubernetesTarget extends ConfiguredTarget<KubernetesTarget.Reach> {

    /** The resource type name. */
    public static final String TYPE = "kubernetes";

    private static final Logger log = LoggerFactory.getLogger(KubernetesTarget.class);

    private final KubernetesClients clients;

    /**
     * How this adapter talks to every API server.
     *
     * @param connectTimeout how long connecting to an API server may take
     * @param requestTimeout how long one request may take
     */
    public record Settings(Duration connectTimeout, Duration requestTimeout) {
        public Settings {
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            Objects.requireNonNull(requestTimeout, "requestTimeout");
        }

        /** 5 s to connect, 15 s per request. */
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(5), Duration.ofSeconds(15));
        }
    }

    public KubernetesTarget(Settings settings) {
        super(TYPE);
        this.clients = new KubernetesClients(settings.connectTimeout(), settings.requestTimeout());
    }

    @Override
    public String displayName() {
        return "Kubernetes TLS Secret";
    }

    @Override
    public boolean needsCredential() {
        return true;
    }

    @Override
    public void validateCredential(TargetAccess access) {
        KubernetesAccess.parse(access);
    }

    @Override
    public List<CredentialField> credentialFields() {
        return KubernetesAccess.FIELDS;
    }

    @Override
    public void validate(Map<String, String> config) {
        SecretLocation.validate(config);
    }

    @Override
    public boolean discovers() {
        return true;
    }

    @Override
    public List<DiscoveredResource> discover(TargetAccess access) {
        KubernetesAccess kubernetes;
        try {
            kubernetes = KubernetesAccess.parse(access);
        } catch (InvalidTargetConfigException e) {
            throw new TargetException(e.getMessage(), false);
        }
        try (KubernetesClient client = clients.open(kubernetes)) {
            return new IngressInventory(client, kubernetes).list();
        }
    }

    @Override
    protected Reach parse(TargetResource resource) {
        return reach(resource);
    }

    @Override
    protected ReadBack read(Reach reach) {
        try (KubernetesClient client = clients.open(reach.access())) {
            return TlsSecrets.readBack(reach.api(client).get(), reach.location());
        } catch (TargetException e) {
            return ReadBack.unknown(e.getMessage());
        }
    }

    @Override
    protected DeploymentOutcome install(Reach reach, CertificateBundle bundle, String wanted, String where) {
        log.debug("{}: Secret {} at {}", where, reach.location(), reach.access().apiServer());
        try (KubernetesClient client = clients.open(reach.access())) {
            return install(reach.api(client), bundle, wanted);
        }
    }

    @Override
    protected DeploymentOutcome restoreOn(Reach reach, PreviousCertificate previous) {
        try (KubernetesClient client = clients.open(reach.access())) {
            return putBack(reach.api(client), previous);
        }
    }

    private DeploymentOutcome install(SecretsApi api, CertificateBundle bundle, String wanted) {
        SecretLocation location = api.location();
        Secret current;
        try {
            current = api.get();
        } catch (ApiFailure e) {
            return unchanged(e);
        }
        Optional<String> refusal = TlsSecrets.refusal(current, location);
        if (refusal.isPresent()) {
            log.warn("not deploying to Secret {}: {}", location, refusal.get());
            return DeploymentOutcome.failed(null, refusal.get() + "; nothing deployed", null);
        }
        PreviousCertificate previous = TlsSecrets.previous(current);
        Secret desired = TlsSecrets.holding(current, location, bundle.certificateChainPem(), bundle.privateKeyPem(), wanted);
        try {
            api.write(current, desired);
        } catch (ApiFailure e) {
            if (e.answered()) {
                return unchanged(e);
            }
            // the write went out but no answer came back: it may have taken effect, so the read-back decides
            log.warn("writing Secret {} got no answer: {}", location, e.getMessage());
        }
        ReadBack after = readBack(api);
        if (ReadBackCheck.serves(after, wanted)) {
            log.info("Secret {} holds certificate {}", location, wanted);
            return DeploymentOutcome.succeeded(wanted, "Secret " + location + " holds " + wanted + " in tls.crt (read back "
                    + "from the API server; the ingress controllers using it load it themselves)", previous);
        }
        log.warn("Secret {} does not hold {} after the write ({}); putting the previous certificate back",
                location, wanted, after.describe());
        String problem = after.known()
                ? "after the write Secret " + location + " holds " + after.served().serialNumber() + " instead of " + wanted
                : "after the write " + after.failureReason();
        DeploymentOutcome restored = putBack(api, previous);
        if (restored.succeeded()) {
            return DeploymentOutcome.rolledBack(restored.servedSerialNumber(), problem + "; " + restored.message());
        }
        return new DeploymentOutcome(Status.FAILED, after.serialNumber().orElse(null),
                problem + "; putting the previous certificate back failed: " + restored.message(), previous,
                restored.retryable());
    }

    /** Puts {@code previous} back and reads back; never throws. */
    private DeploymentOutcome putBack(SecretsApi api, PreviousCertificate previous) {
        SecretLocation location = api.location();
        Secret current;
        try {
            current = api.get();
        } catch (ApiFailure e) {
            return new DeploymentOutcome(Status.FAILED, null, e.getMessage(), null, e.retryable());
        }
        Optional<String> refusal = TlsSecrets.refusal(current, location);
        if (refusal.isPresent()) {
            return DeploymentOutcome.failed(null, refusal.get() + "; nothing restored", null);
        }
        String done;
        boolean delete = false;
        try {
            if (previous.present()) {
                String key = previous.privateKeyPem() == null ? "" : previous.privateKeyPem();
                api.write(current, TlsSecrets.holding(current, location, previous.certificateChainPem(), key,
                        previous.serialNumber().orElse(null)));
                done = "previous certificate " + previous.serialNumber().orElse("(unreadable)") + " put back into Secret "
                        + location;
            } else if (current == null) {
                return DeploymentOutcome.succeeded(null, "Secret " + location + " does not exist, as before", null);
            } else if (TlsSecrets.createdByCertflow(current)) {
                api.delete(current);
                delete = true;
                done = "Secret " + location + ", which certflow had created, deleted";
            } else {
                api.write(current, TlsSecrets.holding(current, location, "", "", null));
                done = "Secret " + location + " held no certificate before: tls.crt and tls.key emptied again";
            }
        } catch (ApiFailure e) {
            return new DeploymentOutcome(Status.FAILED, null, e.getMessage(), null, e.retryable());
        }
        Secret after;
        try {
            after = api.get();
        } catch (ApiFailure e) {
            return new DeploymentOutcome(Status.FAILED, null, done + " but reading it back failed: " + e.getMessage(),
                    null, e.retryable());
        }
        ReadBack served = TlsSecrets.readBack(after, location);
        boolean back = delete ? after == null
                : Objects.equals(TlsSecrets.text(after, TlsSecrets.CERTIFICATE), previous.certificateChainPem());
        if (back) {
            log.info("{}", done);
            return DeploymentOutcome.succeeded(served.serialNumber().orElse(null), done, null);
        }
        return DeploymentOutcome.failed(served.serialNumber().orElse(null),
                done + ", but reading it back the Secret " + served.describe(), null);
    }

    private static ReadBack readBack(SecretsApi api) {
        try {
            return TlsSecrets.readBack(api.get(), api.location());
        } catch (ApiFailure e) {
            return ReadBack.unknown(e.getMessage());
        }
    }

    /** Nothing was changed: retryable if the API server was unreachable, busy or raced. */
    private static DeploymentOutcome unchanged(ApiFailure e) {
        String message = e.getMessage() + "; nothing deployed";
        return e.retryable() ? DeploymentOutcome.unreachable(message) : DeploymentOutcome.failed(null, message, null);
    }

    /** The resource's credential and Secret, naming every problem of both at once. */
    private static Reach reach(TargetResource resource) {
        List<String> problems = new ArrayList<>();
        KubernetesAccess access = null;
        try {
            access = KubernetesAccess.parse(resource.access());
        } catch (InvalidTargetConfigException e) {
            problems.addAll(e.problems());
        }
        SecretLocation location = null;
        try {
            String defaultNamespace = access != null ? access.namespace()
                    : resource.access() == null ? null : resource.access().setting(KubernetesAccess.NAMESPACE);
            location = SecretLocation.of(resource.config(), defaultNamespace);
        } catch (InvalidTargetConfigException e) {
            problems.addAll(e.problems());
        }
        if (!problems.isEmpty()) {
            throw new InvalidTargetConfigException(TYPE, problems);
        }
        return new Reach(access, location);
    }

    /** A resource's credential and Secret. */
    record Reach(KubernetesAccess access, SecretLocation location) {
        SecretsApi api(KubernetesClient client) {
            return new SecretsApi(client, access, location);
        }
    }
}
