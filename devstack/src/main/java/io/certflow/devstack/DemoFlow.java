package io.certflow.devstack;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * The end-to-end demo, over the public HTTP APIs of docs/api.md only: buy a certificate, delegate
 * {@code _acme-challenge} with a CNAME in the customer's DNS (BIND), verify, wait until it is issued and hosted,
 * deploy it to nginx, check what nginx serves, renew, and check that the renewal was deployed by itself.
 * Prints one line per step ({@code [1/9] purchase …}) and returns what a system test asserts on.
 */
public final class DemoFlow {
    private static final int STEPS = 9;
    private static final int STEPS_WITHOUT_RENEWAL = 8;

    /**
     * What the demo did: ids, and the serials hosted and served before and after the renewal (lowercase hex);
     * {@code renewalJobId}, {@code hostedSerialAfter} and {@code servedSerialAfter} are null when the demo
     * stopped after the first deployment.
     */
    public record Result(String orderId, String certificateId, String resourceId, String taskId, String firstJobId,
                         String renewalJobId, String hostedSerialBefore, String hostedSerialAfter,
                         String servedSerialBefore, String servedSerialAfter) {
    }

    private final StackConfig config;
    private final PrintStream out;
    private final String domain;
    private final Duration issuanceTimeout;
    private final Duration deploymentTimeout;
    private final boolean renew;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    public DemoFlow(StackConfig config, PrintStream out) {
        this(config, out, StackConfig.DEMO_DOMAIN, Duration.ofSeconds(240), Duration.ofSeconds(120));
    }

    /**
     * @param issuanceTimeout   how long to wait for the first issuance and for the renewal
     * @param deploymentTimeout how long to wait for one deployment job
     */
    public DemoFlow(StackConfig config, PrintStream out, String domain, Duration issuanceTimeout,
                    Duration deploymentTimeout) {
        this(config, out, domain, issuanceTimeout, deploymentTimeout, true);
    }

    /**
     * @param issuanceTimeout   how long to wait for the first issuance and for the renewal
     * @param deploymentTimeout how long to wait for one deployment job
     * @param renew             false: stop after step 8 (nginx serves the first certificate), no renewal
     */
    public DemoFlow(StackConfig config, PrintStream out, String domain, Duration issuanceTimeout,
                    Duration deploymentTimeout, boolean renew) {
        this.config = config;
        this.out = out;
        this.domain = domain;
        this.issuanceTimeout = issuanceTimeout;
        this.deploymentTimeout = deploymentTimeout;
        this.renew = renew;
    }

    /** Runs the nine steps (eight without the renewal) against the running stack described by the configuration. */
    public Result run() {
        BindProcess bind = new BindProcess(config);
        NginxProcess nginx = new NginxProcess(config);

        // 1. purchase
        JsonNode order = call("POST", Component.ORDER_SERVICE, "/api/v1/orders",
                Map.of("domains", List.of(domain), "product", "dv-single", "termYears", 1, "hosting", true), 201);
        String orderId = text(order, "orderId");
        String certificateId = text(order, "certificateId");
        step(1, "purchase: order " + orderId + " for " + domain + " -> certificate " + certificateId
                + " (" + order.path("status").asText() + ")");

        // 2. delegation
        JsonNode delegation = await("the delegation of " + domain, Duration.ofSeconds(60),
                List.of(Component.VERIFICATION_SERVICE), () -> optionalCall("GET", Component.VERIFICATION_SERVICE,
                        "/api/v1/domains/" + enc(domain) + "/delegation", null));
        String recordName = text(delegation, "recordName");
        String recordValue = text(delegation, "recordValue");
        step(2, "delegation: add " + recordName + " " + delegation.path("recordType").asText("CNAME") + " "
                + recordValue + " (state " + delegation.path("state").asText() + ")");

        // 3. the domain owner adds the CNAME
        bind.addCname(recordName, recordValue);
        String seen = bind.query(recordName, org.xbill.DNS.Type.CNAME).stream().map(r -> r.rdataToString())
                .findFirst().orElse("nothing");
        step(3, "customer DNS: added the CNAME in BIND " + bind.address() + " (it now answers " + seen + ")");

        // 4. verify
        String[] lastDiagnosis = {""};
        JsonNode verified = await(domain + " to verify", Duration.ofSeconds(60), List.of(Component.VERIFICATION_SERVICE, Component.BIND), () -> {
            JsonNode v = call("POST", Component.VERIFICATION_SERVICE, "/api/v1/domains/" + enc(domain) + "/verify", null, 200);
            String diagnosis = v.path("result").asText() + ": " + v.path("detail").asText();
            if (!diagnosis.equals(lastDiagnosis[0])) {
                lastDiagnosis[0] = diagnosis;
                if (!v.path("verified").asBoolean()) {
                    out.println("      not yet: " + diagnosis);
                }
            }
            return v.path("verified").asBoolean() ? Optional.of(v) : Optional.empty();
        });
        step(4, "verify: " + verified.path("result").asText() + " - " + verified.path("detail").asText());

        // 5. issued and hosted
        JsonNode hosted = awaitHosted(certificateId, null);
        String firstSerial = text(hosted, "serialNumber");
        step(5, "hosted: status " + hosted.path("status").asText() + ", serial " + firstSerial + ", valid until "
                + hosted.path("notAfter").asText() + ", next renewal " + hosted.path("nextRenewalAt").asText());

        // 6. nginx resource and deployment task
        String servedBefore = TlsProbe.servedSerialHex("127.0.0.1", nginx.port(), nginx.serverName());
        Map<String, Object> resourceConfig = new LinkedHashMap<>();
        resourceConfig.put("certificatePath", nginx.certificatePath().toString());
        resourceConfig.put("keyPath", nginx.keyPath().toString());
        resourceConfig.put("reloadCommand", nginx.reloadCommand());
        resourceConfig.put("tlsAddress", nginx.tlsAddress());
        resourceConfig.put("serverName", nginx.serverName());
        String resourceId = registerNginx(resourceConfig);
        JsonNode task = call("POST", Component.DEPLOYMENT_SERVICE, "/api/v1/deployment-tasks",
                Map.of("certificateId", certificateId, "resourceIds", List.of(resourceId)), 201);
        String taskId = text(task, "taskId");
        step(6, "deployment target: resource " + resourceId + " (nginx " + nginx.tlsAddress() + ", serving serial "
                + servedBefore + " now), task " + taskId);

        // 7. preview, submit, wait
        JsonNode preview = call("GET", Component.DEPLOYMENT_SERVICE, "/api/v1/deployment-tasks/" + taskId + "/preview", null, 200);
        List<String> changes = new ArrayList<>();
        preview.path("resources").forEach(r -> changes.add(r.path("name").asText() + ": " + r.path("change").asText()
                + " " + r.path("currentSerialNumber").asText("-") + " -> " + r.path("newSerialNumber").asText("-")
                + (r.path("domainsCovered").asBoolean(true) ? "" : " (domains NOT covered)")));
        out.println("      preview: " + String.join("; ", changes));
        JsonNode submitted = call("POST", Component.DEPLOYMENT_SERVICE, "/api/v1/deployment-tasks/" + taskId + "/submit", null, 202);
        String firstJobId = text(submitted, "jobId");
        JsonNode job = awaitJob(firstJobId);
        step(7, "deploy: job " + firstJobId + " " + job.path("status").asText() + " " + results(job));

        // 8. what nginx serves
        String servedAfterDeploy = TlsProbe.servedSerialHex("127.0.0.1", nginx.port(), nginx.serverName());
        step(8, "nginx serves serial " + servedAfterDeploy + sameAs(servedAfterDeploy, firstSerial));
        if (!Objects.equals(TlsProbe.normalizeSerial(servedAfterDeploy), TlsProbe.normalizeSerial(firstSerial))
                && Objects.equals(servedAfterDeploy, servedBefore)) {
            throw new DevstackException("nginx still serves the certificate " + servedBefore
                    + " after a SUCCEEDED deployment; see " + config.logFile(Component.DEPLOYMENT_SERVICE)
                    + " and " + new NginxProcess(config).errorLog());
        }

        if (!renew) {
            return new Result(orderId, certificateId, resourceId, taskId, firstJobId, null,
                    TlsProbe.normalizeSerial(firstSerial), null, servedAfterDeploy, null);
        }

        // 9. renew, and the renewal is deployed by itself
        JsonNode renew = call("POST", Component.HOSTING_SERVICE, "/api/v1/certificates/" + certificateId + "/renew", null, 202);
        out.println("      renewal requested (event " + renew.path("renewalEventId").asText() + "), waiting for the new certificate");
        JsonNode renewed = awaitHosted(certificateId, firstSerial);
        String renewedSerial = text(renewed, "serialNumber");
        out.println("      renewed: serial " + renewedSerial + ", waiting for the RENEWAL deployment");
        JsonNode renewalJob = await("a SUCCEEDED RENEWAL deployment job of serial " + renewedSerial, deploymentTimeout,
                List.of(Component.DEPLOYMENT_SERVICE), () -> {
                    for (JsonNode j : list(call("GET", Component.DEPLOYMENT_SERVICE,
                            "/api/v1/deployment-jobs?certificateId=" + enc(certificateId), null, 200))) {
                        if ("RENEWAL".equals(j.path("trigger").asText())
                                && sameSerial(j.path("serialNumber").asText(), renewedSerial)) {
                            String s = j.path("status").asText();
                            if ("FAILED".equals(s)) {
                                throw new DevstackException("renewal deployment job " + j.path("jobId").asText()
                                        + " FAILED " + results(j) + "; see " + config.logFile(Component.DEPLOYMENT_SERVICE));
                            }
                            if ("SUCCEEDED".equals(s)) {
                                return Optional.of(j);
                            }
                        }
                    }
                    return Optional.empty();
                });
        String servedAfter = TlsProbe.servedSerialHex("127.0.0.1", nginx.port(), nginx.serverName());
        step(9, "renew: job " + renewalJob.path("jobId").asText() + " (RENEWAL) SUCCEEDED; nginx served "
                + servedAfterDeploy + " before, serves " + servedAfter + " now" + sameAs(servedAfter, renewedSerial));
        if (Objects.equals(servedAfter, servedAfterDeploy)) {
            throw new DevstackException("nginx still serves " + servedAfter + " after the renewal deployment; see "
                    + config.logFile(Component.DEPLOYMENT_SERVICE));
        }
        return new Result(orderId, certificateId, resourceId, taskId, firstJobId, renewalJob.path("jobId").asText(),
                TlsProbe.normalizeSerial(firstSerial), TlsProbe.normalizeSerial(renewedSerial),
                servedAfterDeploy, servedAfter);
    }

    /** Registers the nginx resource; a second demo on the same stack reuses the one of the first. */
    private String registerNginx(Map<String, Object> resourceConfig) {
        String name = "demo-nginx";
        HttpResponse<String> r = send("POST", Component.DEPLOYMENT_SERVICE, "/api/v1/resources",
                Map.of("type", "nginx", "name", name, "config", resourceConfig));
        if (r.statusCode() == 409) {
            for (JsonNode existing : list(call("GET", Component.DEPLOYMENT_SERVICE, "/api/v1/resources", null, 200))) {
                if (name.equals(existing.path("name").asText())
                        && json.valueToTree(resourceConfig).equals(existing.path("config"))) {
                    out.println("      reusing resource " + existing.path("resourceId").asText() + " (" + name + ")");
                    return text(existing, "resourceId");
                }
            }
            name = name + "-" + Instant.now().getEpochSecond();
            return text(call("POST", Component.DEPLOYMENT_SERVICE, "/api/v1/resources",
                    Map.of("type", "nginx", "name", name, "config", resourceConfig), 201), "resourceId");
        }
        return text(check(r, "POST", Component.DEPLOYMENT_SERVICE, "/api/v1/resources", 201), "resourceId");
    }

    private JsonNode awaitHosted(String certificateId, String previousSerial) {
        String[] lastStatus = {""};
        return await(previousSerial == null ? "certificate " + certificateId + " to be issued and HOSTED"
                        : "certificate " + certificateId + " to be renewed (serial other than " + previousSerial + ")",
                issuanceTimeout, List.of(Component.ISSUANCE_SERVICE, Component.VERIFICATION_SERVICE, Component.HOSTING_SERVICE,
                        Component.PEBBLE), () -> {
                    Optional<JsonNode> c = optionalCall("GET", Component.HOSTING_SERVICE, "/api/v1/certificates/" + certificateId, null);
                    if (c.isEmpty()) {
                        return Optional.empty();
                    }
                    JsonNode cert = c.get();
                    String status = cert.path("status").asText();
                    String line = status + (cert.path("lastFailure").isNull() || cert.path("lastFailure").isMissingNode() ? ""
                            : " (last failure: " + cert.path("lastFailure") + ")");
                    if (!line.equals(lastStatus[0])) {
                        lastStatus[0] = line;
                        out.println("      hosting: " + line);
                    }
                    if ("CANCELLED".equals(status)) {
                        throw new DevstackException("certificate " + certificateId + " was CANCELLED; see "
                                + config.logFile(Component.HOSTING_SERVICE));
                    }
                    String serial = cert.path("serialNumber").asText(null);
                    boolean ready = "HOSTED".equals(status) && serial != null && !serial.isBlank()
                            && (previousSerial == null || !sameSerial(serial, previousSerial));
                    return ready ? Optional.of(cert) : Optional.empty();
                });
    }

    private JsonNode awaitJob(String jobId) {
        return await("deployment job " + jobId + " to succeed", deploymentTimeout, List.of(Component.DEPLOYMENT_SERVICE,
                Component.NGINX), () -> {
            JsonNode job = call("GET", Component.DEPLOYMENT_SERVICE, "/api/v1/deployment-jobs/" + jobId, null, 200);
            String status = job.path("status").asText();
            if ("FAILED".equals(status)) {
                throw new DevstackException("deployment job " + jobId + " FAILED " + results(job) + "; see "
                        + config.logFile(Component.DEPLOYMENT_SERVICE) + " and " + new NginxProcess(config).errorLog());
            }
            return "SUCCEEDED".equals(status) ? Optional.of(job) : Optional.empty();
        });
    }

    private <T> T await(String what, Duration timeout, List<Component> logs, Supplier<Optional<T>> probe) {
        Instant deadline = Instant.now().plus(timeout);
        RuntimeException last = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                Optional<T> r = probe.get();
                if (r.isPresent()) {
                    return r.get();
                }
                last = null;
            } catch (DemoHttpException e) {
                last = e;
            }
            ManagedProcess.sleep(1000);
        }
        throw new DevstackException("timed out after " + timeout.toSeconds() + " s waiting for " + what
                + (last != null ? " (last error: " + last.getMessage() + ")" : "") + "; see "
                + String.join(", ", logs.stream().map(c -> config.logFile(c).toString()).toList()));
    }

    private void step(int n, String text) {
        out.println("[" + n + "/" + (renew ? STEPS : STEPS_WITHOUT_RENEWAL) + "] " + text);
        out.flush();
    }

    private static String results(JsonNode job) {
        List<String> r = new ArrayList<>();
        job.path("results").forEach(x -> r.add(x.path("name").asText() + " " + x.path("status").asText()
                + (x.hasNonNull("servedSerialNumber") ? " serving " + x.path("servedSerialNumber").asText() : "")
                + (x.hasNonNull("message") && !x.path("message").asText().isBlank() ? " (" + x.path("message").asText() + ")" : "")));
        return r.isEmpty() ? "" : "[" + String.join("; ", r) + "]";
    }

    private static String sameAs(String served, String hosted) {
        return sameSerial(served, hosted) ? " = the hosted certificate" : " (hosting says " + hosted + ")";
    }

    private static boolean sameSerial(String a, String b) {
        return Objects.equals(TlsProbe.normalizeSerial(a), TlsProbe.normalizeSerial(b));
    }

    private static Iterable<JsonNode> list(JsonNode node) {
        if (node.isArray()) {
            return node;
        }
        for (String field : List.of("items", "content", "jobs", "data")) {
            if (node.path(field).isArray()) {
                return node.path(field);
            }
        }
        return List.of();
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        if (v.isMissingNode() || v.isNull() || v.asText().isBlank()) {
            throw new DevstackException("the answer has no '" + field + "': " + node);
        }
        return v.asText();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** An HTTP call failed in a way worth retrying while waiting (connection refused, 5xx). */
    private static final class DemoHttpException extends DevstackException {
        DemoHttpException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private Optional<JsonNode> optionalCall(String method, Component service, String path, Object body) {
        HttpResponse<String> r = send(method, service, path, body);
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        return Optional.of(check(r, method, service, path, 200));
    }

    private JsonNode call(String method, Component service, String path, Object body, int expected) {
        return check(send(method, service, path, body), method, service, path, expected);
    }

    private JsonNode check(HttpResponse<String> r, String method, Component service, String path, int expected) {
        int status = r.statusCode();
        boolean ok = status == expected || (expected == 200 && status / 100 == 2) || (expected == 201 && status == 200)
                || (expected == 202 && status / 100 == 2);
        String what = method + " " + config.serviceUrl(service) + path;
        if (!ok) {
            String message = what + " answered " + status + ": " + r.body() + "; see " + config.logFile(service);
            if (status >= 500) {
                throw new DemoHttpException(message, null);
            }
            throw new DevstackException(message);
        }
        try {
            return r.body() == null || r.body().isBlank() ? MissingNode.getInstance() : json.readTree(r.body());
        } catch (IOException e) {
            throw new DevstackException(what + " answered no JSON: " + r.body());
        }
    }

    private HttpResponse<String> send(String method, Component service, String path, Object body) {
        String url = config.serviceUrl(service) + path;
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .header("X-Api-Key", config.apiKey()).header("Accept", "application/json");
            if (body != null) {
                b.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
            } else {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            }
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new DemoHttpException(method + " " + url + " failed: " + e + " - is " + service.id()
                    + " running? (./certflow status; see " + config.logFile(service) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevstackException("interrupted", e);
        }
    }
}
