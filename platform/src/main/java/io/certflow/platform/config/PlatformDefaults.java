package io.certflow.platform.config;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.util.Map;

/**
 * Defaults every certflow service shares, lowest in precedence so that any service or deployment
 * can override them: unique indexes created from the documents' annotations, a consumer's idle fetch held
 * 2 s by the broker (docs/benchmarks.md), health details, the
 * Prometheus endpoint, API docs of {@code /api/**} only (never {@code /internal/**}), and JSON responses
 * written like events (ISO times, absent fields left out).
 */
public class PlatformDefaults implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment.getPropertySources().addLast(new MapPropertySource("certflowPlatformDefaults", Map.ofEntries(
                Map.entry("spring.data.mongodb.auto-index-creation", "true"),
                Map.entry("spring.kafka.consumer.auto-offset-reset", "earliest"),
                // how long the broker holds an idle consumer's fetch: new records answer it at once, so this only
                // sets how often ~25 idle consumers ask (the 500 ms default cost an idle broker 10 % of a core)
                Map.entry("spring.kafka.consumer.fetch-max-wait", "2s"),
                Map.entry("management.endpoints.web.exposure.include", "health,info,metrics,prometheus"),
                Map.entry("management.endpoint.health.probes.enabled", "true"),
                Map.entry("spring.mvc.problemdetails.enabled", "false"),
                Map.entry("server.error.include-message", "never"),
                Map.entry("spring.jackson.default-property-inclusion", "non_null"),
                Map.entry("spring.jackson.serialization.write-dates-as-timestamps", "false"),
                Map.entry("springdoc.paths-to-match", "/api/**"))));
    }
}
