package io.certflow.deployment.testing;

import io.certflow.deployment.target.CertificateBundle;
import io.certflow.deployment.target.DeploymentOutcome;
import io.certflow.deployment.target.DeploymentTarget;
import io.certflow.deployment.target.DiscoveredResource;
import io.certflow.deployment.target.InvalidTargetConfigException;
import io.certflow.deployment.target.PreviousCertificate;
import io.certflow.deployment.target.ReadBack;
import io.certflow.deployment.target.TargetAccess;
import io.certflow.deployment.target.TargetException;
import io.certflow.deployment.target.TargetResource;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A deployment target whose cloud is a script, for tests of the engine around targets (credentials, discovery,
 * coverage, retries, parallelism, stop-at-first-failure): type {@code scripted}, reached with a credential (setting
 * {@code region}, secret {@code apiKey}), listing what {@link #list} holds, and answering each deploy with the next
 * scripted outcome of its resource (by default: deployed, serving the bundle's leaf). The real targets have their
 * own tests against real servers.
 */
public final class ScriptedTarget implements DeploymentTarget {

    /** The only access key the scripted cloud accepts. */
    public static final String API_KEY = "scripted-api-key-0123456789";

    private final List<DiscoveredResource> list = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<Function<CertificateBundle, DeploymentOutcome>>> scripts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final List<String> accessSeen = new CopyOnWriteArrayList<>();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger mostAtOnce = new AtomicInteger();
    private volatile long deployMillis;

    @Override
    public String type() {
        return "scripted";
    }

    @Override
    public String displayName() {
        return "Scripted Cloud";
    }

    @Override
    public boolean needsCredential() {
        return true;
    }

    @Override
    public void validateCredential(TargetAccess access) {
        List<String> problems = new ArrayList<>();
        if (access.setting("region") == null) {
            problems.add("'region' is required");
        }
        if (access.secret("apiKey") == null) {
            problems.add("secret 'apiKey' is required");
        }
        if (!problems.isEmpty()) {
            throw new InvalidTargetConfigException(type(), problems);
        }
    }

    @Override
    public boolean discovers() {
        return true;
    }

    @Override
    public List<DiscoveredResource> discover(TargetAccess access) {
        if (!API_KEY.equals(access.secret("apiKey"))) {
            throw new TargetException("the service refused the access key (403)", false);
        }
        return List.copyOf(list);
    }

    @Override
    public void validate(Map<String, String> config) {
        if (config.get("zone") == null) {
            throw new InvalidTargetConfigException(type(), List.of("'zone' is required"));
        }
    }

    @Override
    public ReadBack readBack(TargetResource resource) {
        return ReadBack.unknown("the scripted cloud does not say");
    }

    @Override
    public DeploymentOutcome deploy(TargetResource resource, CertificateBundle bundle) {
        accessSeen.add(resource.access() == null ? "none" : resource.access().secret("apiKey"));
        attempts.computeIfAbsent(resource.name(), k -> new AtomicInteger()).incrementAndGet();
        int now = running.incrementAndGet();
        mostAtOnce.accumulateAndGet(now, Math::max);
        try {
            if (deployMillis > 0) {
                Thread.sleep(deployMillis);
            }
            Deque<Function<CertificateBundle, DeploymentOutcome>> script = scripts.entrySet().stream()
                    .filter(e -> resource.name().startsWith(e.getKey())).map(Map.Entry::getValue).findFirst().orElse(null);
            Function<CertificateBundle, DeploymentOutcome> next = script == null ? null : script.poll();
            return next != null ? next.apply(bundle)
                    : DeploymentOutcome.succeeded(bundle.leafSerialNumber(), "serving " + bundle.leafSerialNumber(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DeploymentOutcome.unreachable("interrupted");
        } finally {
            running.decrementAndGet();
        }
    }

    @Override
    public DeploymentOutcome restore(TargetResource resource, PreviousCertificate previous) {
        return DeploymentOutcome.failed(null, "nothing to restore", null);
    }

    /** What the next {@link #discover} lists. */
    public void listing(List<DiscoveredResource> resources) {
        list.clear();
        list.addAll(resources);
    }

    /** The next deploys to the resource whose name starts with {@code name} answer these, in order; then the default. */
    @SafeVarargs
    public final void script(String name, Function<CertificateBundle, DeploymentOutcome>... outcomes) {
        scripts.put(name, new ArrayDeque<>(List.of(outcomes)));
    }

    /** Every deploy takes this long (to see how many run at once). */
    public void deployTakes(long millis) {
        deployMillis = millis;
    }

    /** Deploys to resources whose name starts with {@code name}. */
    public int attempts(String name) {
        return attempts.entrySet().stream().filter(e -> e.getKey().startsWith(name)).mapToInt(e -> e.getValue().get()).sum();
    }

    public int mostAtOnce() {
        return mostAtOnce.get();
    }

    /** The {@code apiKey} each deploy was reached with (the credential opened for the call). */
    public List<String> accessSeen() {
        return List.copyOf(accessSeen);
    }

    /** Forgets attempts and the high-water mark. */
    public void reset() {
        attempts.clear();
        mostAtOnce.set(0);
        scripts.clear();
        accessSeen.clear();
        deployMillis = 0;
    }
}
