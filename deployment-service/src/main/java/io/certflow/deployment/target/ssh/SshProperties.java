package io.certflow.deployment.target.ssh;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Configuration of the SSH target ({@code certflow.deployment.ssh.*}): how long a host may take, and how its
 * nginx configuration is listed for discovery.
 *
 * @param connectTimeout   how long connecting and logging in may take, and how long a host may stay silent
 * @param commandTimeout   how long a reload (or the discovery command) may run on the host
 * @param readBackWindow   how long to keep reading back after a reload
 * @param readBackInterval pause between read-backs
 * @param discoveryCommand what lists a host's nginx configuration, e.g. {@code sudo nginx -T}; its {@code -T}
 *                         becomes {@code -s reload} in the reload command of the resources it finds
 */
@ConfigurationProperties("certflow.deployment.ssh")
public record SshProperties(@DefaultValue("10s") Duration connectTimeout,
                            @DefaultValue("60s") Duration commandTimeout,
                            @DefaultValue("10s") Duration readBackWindow,
                            @DefaultValue("200ms") Duration readBackInterval,
                            @DefaultValue("nginx -T") String discoveryCommand) {

    /** The target's settings. */
    public SshTarget.Settings settings() {
        return new SshTarget.Settings(connectTimeout, commandTimeout, readBackWindow, readBackInterval, discoveryCommand);
    }
}
