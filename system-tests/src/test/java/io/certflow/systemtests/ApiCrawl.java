package io.certflow.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import io.certflow.devstack.Component;
import io.certflow.devstack.StackConfig;
import io.certflow.testsupport.ApiClient;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads every page the services' public APIs show the demo account, the way a person clicking through them would: each
 * list, then each item the lists name (orders, certificates with their attempts, verification and jobs, domains, DNS
 * and target credentials, CA profiles, resources, tasks with their preview, jobs). For checks over everything a user
 * can see, such as "no secret in any response".
 */
final class ApiCrawl {

    private final StackConfig config;
    private final Map<String, String> pages = new LinkedHashMap<>();

    private ApiCrawl(StackConfig config) {
        this.config = config;
    }

    /** URL → body of every page read; each answered 200. */
    static Map<String, String> everyReadableResource(StackConfig config) {
        return new ApiCrawl(config).crawl();
    }

    private Map<String, String> crawl() {
        read(Component.ORDER_SERVICE, "/api/v1/products");
        read(Component.ORDER_SERVICE, "/api/v1/subscriptions");
        for (String orderId : ids(read(Component.ORDER_SERVICE, "/api/v1/orders"), "orderId", "id")) {
            read(Component.ORDER_SERVICE, "/api/v1/orders/" + orderId);
        }
        read(Component.HOSTING_SERVICE, "/api/v1/maintenance-windows");
        Set<String> domains = new LinkedHashSet<>();
        List<String> jobs = new ArrayList<>();
        for (JsonNode certificate : items(read(Component.HOSTING_SERVICE, "/api/v1/certificates"))) {
            String id = certificate.path("certificateId").asText();
            JsonNode hosted = read(Component.HOSTING_SERVICE, "/api/v1/certificates/" + id);
            hosted.path("domains").forEach(d -> domains.add(d.asText().replaceFirst("^\\*\\.", "")));
            read(Component.ISSUANCE_SERVICE, "/api/v1/certificates/" + id + "/attempts");
            read(Component.VERIFICATION_SERVICE, "/api/v1/certificates/" + id + "/verification");
            jobs.addAll(ids(read(Component.DEPLOYMENT_SERVICE, "/api/v1/deployment-jobs?certificateId=" + id), "id", "jobId"));
            read(Component.DEPLOYMENT_SERVICE, "/api/v1/cloud-services?certificateId=" + id);
        }
        assertThat(domains).as("domains of the hosted certificates").isNotEmpty();
        for (String domain : domains) {
            String path = "/api/v1/domains/" + URLEncoder.encode(domain, StandardCharsets.UTF_8);
            read(Component.VERIFICATION_SERVICE, path);
            read(Component.VERIFICATION_SERVICE, path + "/delegation");
        }
        for (String id : ids(read(Component.VERIFICATION_SERVICE, "/api/v1/dns-credentials"), "id")) {
            read(Component.VERIFICATION_SERVICE, "/api/v1/dns-credentials/" + id);
        }
        for (String name : ids(read(Component.ISSUANCE_SERVICE, "/api/v1/ca-profiles"), "name")) {
            read(Component.ISSUANCE_SERVICE, "/api/v1/ca-profiles/" + name);
        }
        read(Component.DEPLOYMENT_SERVICE, "/api/v1/cloud-services");
        for (String id : ids(read(Component.DEPLOYMENT_SERVICE, "/api/v1/target-credentials"), "id", "credentialId")) {
            read(Component.DEPLOYMENT_SERVICE, "/api/v1/target-credentials/" + id);
        }
        for (String id : ids(read(Component.DEPLOYMENT_SERVICE, "/api/v1/resources"), "id", "resourceId")) {
            read(Component.DEPLOYMENT_SERVICE, "/api/v1/resources/" + id);
        }
        for (String id : ids(read(Component.DEPLOYMENT_SERVICE, "/api/v1/deployment-tasks"), "id", "taskId")) {
            read(Component.DEPLOYMENT_SERVICE, "/api/v1/deployment-tasks/" + id);
            read(Component.DEPLOYMENT_SERVICE, "/api/v1/deployment-tasks/" + id + "/preview");
        }
        assertThat(jobs).as("deployment jobs of the hosted certificates").isNotEmpty();
        for (String id : jobs) {
            read(Component.DEPLOYMENT_SERVICE, "/api/v1/deployment-jobs/" + id);
        }
        return pages;
    }

    private JsonNode read(Component service, String path) {
        String url = config.serviceUrl(service) + path;
        ApiClient.Response response = new ApiClient(config.serviceUrl(service)).get(path, config.apiKey());
        assertThat(response.status()).as("GET %s: %s", url, response.body()).isEqualTo(200);
        pages.put(url, response.body());
        return response.json();
    }

    private static List<JsonNode> items(JsonNode list) {
        List<JsonNode> items = new ArrayList<>();
        (list.isArray() ? list : list.path("items")).forEach(items::add);
        return items;
    }

    /** The first of {@code fields} each item of a list has. */
    private static List<String> ids(JsonNode list, String... fields) {
        List<String> ids = new ArrayList<>();
        for (JsonNode item : items(list)) {
            for (String field : fields) {
                if (item.hasNonNull(field)) {
                    ids.add(item.get(field).asText());
                    break;
                }
            }
        }
        return ids;
    }
}
