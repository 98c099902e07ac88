package io.certflow.console.topics.web;

import io.certflow.console.topics.OpsProperties;
import io.certflow.console.topics.inspect.Overview;
import io.certflow.console.topics.inspect.TopicInspector;
import io.certflow.platform.web.ApiException;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The live dashboard: Server-Sent Events to every open page. Each subscriber gets the current
 * {@link Overview} at once (event {@code overview}); then one thread looks at Kafka every
 * {@code certflow.console.ops.stream-interval} while anyone listens, and sends a new {@code overview} when
 * something changed, else a comment that keeps the connection alive (and finds closed ones). When Kafka does
 * not answer, subscribers get an {@code unavailable} event with the reason and the stream goes on.
 * A stream ends after {@link #LIFETIME}; the page connects again.
 */
@Component
public class OverviewStream implements DisposableBean {

    /** How long one stream stays open before the page reconnects (bounds what a lost client costs). */
    static final Duration LIFETIME = Duration.ofMinutes(30);

    private final TopicInspector inspector;
    private final Duration interval;
    private final Set<SseEmitter> subscribers = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ops-overview-stream");
        t.setDaemon(true);
        return t;
    });
    private ScheduledFuture<?> ticking;
    private Overview last;

    public OverviewStream(TopicInspector inspector, OpsProperties ops) {
        this.inspector = inspector;
        this.interval = ops.streamInterval();
    }

    /** A new subscriber; it receives the current overview first. */
    public SseEmitter subscribe() {
        SseEmitter emitter = new SseEmitter(LIFETIME.toMillis());
        emitter.onCompletion(() -> subscribers.remove(emitter));
        emitter.onTimeout(() -> subscribers.remove(emitter));
        emitter.onError(e -> subscribers.remove(emitter));
        subscribers.add(emitter);
        startTicking();
        thread.execute(() -> {
            try {
                send(emitter, "overview", inspector.overview());
            } catch (ApiException e) {
                send(emitter, "unavailable", Map.of("detail", e.getMessage()));
            }
        });
        return emitter;
    }

    private synchronized void startTicking() {
        if (ticking == null) {
            ticking = thread.scheduleWithFixedDelay(this::tick, interval.toMillis(), interval.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** One look at Kafka, on the stream's thread. */
    void tick() {
        if (subscribers.isEmpty()) {
            return;
        }
        Overview now;
        try {
            now = inspector.overview();
        } catch (ApiException e) {
            subscribers.forEach(s -> send(s, "unavailable", Map.of("detail", e.getMessage())));
            return;
        } catch (RuntimeException e) {
            subscribers.forEach(s -> send(s, "unavailable", Map.of("detail", "The overview could not be computed.")));
            return;
        }
        boolean changed = last == null || !withoutTime(last).equals(withoutTime(now));
        last = now;
        for (SseEmitter subscriber : subscribers) {
            if (changed) {
                send(subscriber, "overview", now);
            } else {
                keepAlive(subscriber);
            }
        }
    }

    private static Overview withoutTime(Overview overview) {
        return new Overview(null, overview.topics(), overview.groups(), overview.deadLetters());
    }

    private void send(SseEmitter emitter, String name, Object data) {
        try {
            emitter.send(SseEmitter.event().name(name).data(data, MediaType.APPLICATION_JSON));
        } catch (IOException | IllegalStateException e) {
            subscribers.remove(emitter);
            emitter.completeWithError(e);
        }
    }

    private void keepAlive(SseEmitter emitter) {
        try {
            emitter.send(SseEmitter.event().comment("keep-alive"));
        } catch (IOException | IllegalStateException e) {
            subscribers.remove(emitter);
            emitter.completeWithError(e);
        }
    }

    @Override
    public void destroy() {
        thread.shutdownNow();
        subscribers.forEach(SseEmitter::complete);
        subscribers.clear();
    }
}
