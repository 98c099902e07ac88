package io.certflow.hosting.managing;

import java.time.Instant;

/**
 * Hosting of a certificate paused by its owner: nothing is renewed until it is resumed.
 *
 * @param at     when it was paused
 * @param reason the reason the owner gave, or null
 */
public record Pause(Instant at, String reason) {
}
