package io.certflow.deployment.target.kubernetes;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.function.Supplier;

/**
 * The four calls the target makes on one Secret, each failing as an {@link ApiFailure}. A write carries the
 * resourceVersion that was read, so a concurrent change makes it fail (409) instead of being overwritten.
 */
final class SecretsApi {

    private final KubernetesClient client;
    private final KubernetesAccess access;
    private final SecretLocation location;

    SecretsApi(KubernetesClient client, KubernetesAccess access, SecretLocation location) {
        this.client = client;
        this.access = access;
        this.location = location;
    }

    SecretLocation location() {
        return location;
    }

    /** The Secret as the API server holds it now, or null if there is none. */
    Secret get() {
        return call("cannot read Secret " + location,
                () -> client.secrets().inNamespace(location.namespace()).withName(location.secretName()).get());
    }

    /**
     * Creates {@code desired} if {@code current} is null, else replaces {@code current} with it, failing if the
     * Secret changed since {@code current} was read.
     */
    void write(Secret current, Secret desired) {
        if (current == null) {
            call("cannot create Secret " + location,
                    () -> client.secrets().inNamespace(location.namespace()).resource(desired).create());
        } else {
            try {
                client.secrets().inNamespace(location.namespace()).resource(desired).update();
            } catch (KubernetesClientException e) {
                throw ApiFailure.of("cannot replace Secret " + location, e, access, true);
            }
        }
    }

    /** Deletes the Secret. */
    void delete(Secret current) {
        call("cannot delete Secret " + location,
                () -> client.secrets().inNamespace(location.namespace()).resource(current).delete());
    }

    private <T> T call(String doing, Supplier<T> request) {
        try {
            return request.get();
        } catch (KubernetesClientException e) {
            throw ApiFailure.of(doing, e, access);
        }
    }
}
