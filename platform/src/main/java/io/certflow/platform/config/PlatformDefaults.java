package io.certflow.platform.config;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.util.Map;

/**
 * Defaults every certflow service shares, lowest in precedence so that any service or deployment
 * can override them: unique indexes created from the documents' annotations, health details, and
 * JSON responses written like events (ISO times, absent fields left out).
 */
public class PlatformDefaults implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment.getPropertySources().addLast(new MapPropertySource("certflowPlatformDefaults", Map.of(
                "spring.data.mongodb.auto-index-creation", "true",
                "spring.kafka.consumer.auto-offset-reset", "earliest",
                "management.endpoints.web.exposure.include", "health,info,metrics",
                "management.endpoint.health.probes.enabled", "true",
                "spring.mvc.problemdetails.enabled", "false",
                "server.error.include-message", "never",
                "spring.jackson.default-property-inclusion", "non_null",
                "spring.jackson.serialization.write-dates-as-timestamps", "false")));
    }
}
