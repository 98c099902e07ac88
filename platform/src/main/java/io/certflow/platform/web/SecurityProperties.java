package io.certflow.platform.web;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.Map;

/**
 * Who may call a service. For now API keys are configured (key → account id); a later
 * authentication replaces only where keys come from.
 *
 * @param apiKeys       API key → account id
 * @param internalToken the shared credential of service-to-service calls under {@code /internal/}
 */
@ConfigurationProperties("certflow.security")
public record SecurityProperties(Map<String, String> apiKeys, String internalToken) {

    public SecurityProperties {
        apiKeys = apiKeys == null ? Map.of() : Map.copyOf(apiKeys);
    }

    @Override
    public String toString() {
        return "SecurityProperties[apiKeys=" + apiKeys.size() + " configured, internalToken="
                + (internalToken == null ? "unset" : "set") + "]";
    }
}
