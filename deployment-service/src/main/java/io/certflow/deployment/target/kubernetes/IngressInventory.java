package io.certflow.deployment.target.kubernetes;

import io.certflow.deployment.target.DiscoveredResource;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressList;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Listable;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Lists the TLS Secrets a credential's Ingresses use, one resource per TLS section, so that a person picks by
 * host name the Secret a certificate goes into. Lists every namespace when the credential may; a credential
 * bound to one namespace lists its default namespace instead.
 */
final class IngressInventory {

    private static final long PAGE = 500;

    private final KubernetesClient client;
    private final KubernetesAccess access;

    IngressInventory(KubernetesClient client, KubernetesAccess access) {
        this.client = client;
        this.access = access;
    }

    /**
     * The resources, ordered by {@code namespace/ingress/secretName}.
     *
     * @throws ApiFailure if the Ingresses cannot be listed
     */
    List<DiscoveredResource> list() {
        List<Ingress> ingresses;
        try {
            ingresses = all(client.network().v1().ingresses().inAnyNamespace());
        } catch (KubernetesClientException e) {
            if (e.getCode() != 403 || access.namespace() == null) {
                throw ApiFailure.of("cannot list Ingresses in all namespaces", e, access);
            }
            try {
                ingresses = all(client.network().v1().ingresses().inNamespace(access.namespace()));
            } catch (KubernetesClientException inNamespace) {
                throw ApiFailure.of("cannot list Ingresses in namespace " + access.namespace(), inNamespace, access);
            }
        }
        return resources(ingresses);
    }

    private static List<Ingress> all(Listable<IngressList> ingresses) {
        List<Ingress> all = new ArrayList<>();
        String next = null;
        do {
            IngressList page = ingresses.list(new ListOptionsBuilder().withLimit(PAGE).withContinue(next).build());
            all.addAll(page.getItems());
            next = page.getMetadata() == null ? null : page.getMetadata().getContinue();
        } while (next != null && !next.isEmpty());
        return all;
    }

    /** One resource per Secret an Ingress names in {@code spec.tls}; two sections naming one Secret are merged. */
    static List<DiscoveredResource> resources(List<Ingress> ingresses) {
        Map<String, SecretLocation> locations = new LinkedHashMap<>();
        Map<String, Set<String>> hosts = new LinkedHashMap<>();
        Map<String, String> names = new LinkedHashMap<>();
        for (Ingress ingress : ingresses) {
            if (ingress.getMetadata() == null || ingress.getSpec() == null || ingress.getSpec().getTls() == null) {
                continue;
            }
            String namespace = ingress.getMetadata().getNamespace();
            String name = ingress.getMetadata().getName();
            for (IngressTLS tls : ingress.getSpec().getTls()) {
                String secretName = tls.getSecretName();
                if (secretName == null || secretName.isBlank()) {
                    continue; // the ingress controller's default certificate: nothing certflow can write
                }
                String externalId = namespace + "/" + name + "/" + secretName;
                locations.putIfAbsent(externalId, new SecretLocation(namespace, secretName));
                names.putIfAbsent(externalId, "Ingress " + namespace + "/" + name + ", Secret " + secretName);
                Set<String> sectionHosts = hosts.computeIfAbsent(externalId, k -> new LinkedHashSet<>());
                if (tls.getHosts() != null) {
                    tls.getHosts().stream().filter(h -> h != null && !h.isBlank())
                            .map(h -> h.strip().toLowerCase(Locale.ROOT)).forEach(sectionHosts::add);
                }
            }
        }
        return locations.keySet().stream().sorted(Comparator.naturalOrder())
                .map(id -> new DiscoveredResource(id, names.get(id), List.copyOf(hosts.get(id)),
                        locations.get(id).toConfig()))
                .toList();
    }
}
