package io.certflow.deployment.target.webhook;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.List;

/**
 * Configuration of the webhook target ({@code certflow.deployment.webhook.*}): which hosts its resources may
 * make this service POST to, and how long a receiver may take.
 *
 * @param connectTimeout   how long connecting to a receiver may take
 * @param requestTimeout   how long a receiver may take to answer, body included
 * @param readBackWindow   how long to keep reading back over TLS after a receiver accepted
 * @param readBackInterval pause between read-backs
 * @param allowedHosts     the hosts (names or IP literals) webhook URLs may point at; empty allows any, which lets
 *                         every API user make this service send requests to any address it reaches (internal
 *                         services included)
 */
@ConfigurationProperties("certflow.deployment.webhook")
public record WebhookProperties(@DefaultValue("10s") Duration connectTimeout,
                                @DefaultValue("30s") Duration requestTimeout,
                                @DefaultValue("10s") Duration readBackWindow,
                                @DefaultValue("200ms") Duration readBackInterval,
                                List<String> allowedHosts) {
}
