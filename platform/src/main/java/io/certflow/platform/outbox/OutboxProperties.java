package io.certflow.platform.outbox;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * How the outbox relay runs. What this process saves is published at once (unless
 * {@code certflow.outbox.publish-on-save=false}); the scan only finds what nobody told the relay about.
 *
 * @param scanInterval  pause between two scans for pending outboxes: the recovery path for events left by
 *                      a process that stopped after its save, or by another instance
 * @param queueCapacity how many saved documents may wait to be published; a burst beyond it is found by
 *                      a scan started at once
 */
@ConfigurationProperties("certflow.outbox")
public record OutboxProperties(@DefaultValue("5s") Duration scanInterval,
                               @DefaultValue("10000") int queueCapacity) {
}
