package io.certflow.console.gateway;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Where the console's gateway finds each service and how long it waits for one. The browser never talks to a
 * service directly: {@code /svc/<name>/**} goes to {@code services.<name>} + {@code /api/**}.
 *
 * @param services       base URL per short service name ({@code order}, {@code verification}, {@code issuance},
 *                       {@code hosting}, {@code deployment})
 * @param connectTimeout how long connecting to a service may take before it counts as down
 * @param requestTimeout how long one forwarded request may take in all
 */
@ConfigurationProperties("certflow.console")
public record GatewayProperties(
        Map<String, URI> services,
        @DefaultValue("2s") Duration connectTimeout,
        @DefaultValue("30s") Duration requestTimeout) {

    public GatewayProperties {
        services = services == null ? Map.of() : Map.copyOf(services);
    }
}
