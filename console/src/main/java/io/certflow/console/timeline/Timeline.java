package io.certflow.console.timeline;

import io.certflow.console.topics.EventView;

import java.time.Instant;
import java.util.List;

/**
 * Every event on certflow's topics that touched one certificate, oldest first.
 *
 * @param certificateId the certificate
 * @param orderId       its order (whose purchase event is keyed by it), if known
 * @param since         events are read from this time on
 * @param events        the events, by the time they occurred
 * @param cut           whether older events since {@code since} were not read (over the scan bound): the topics
 *                      hold more than the timeline shows
 */
public record Timeline(String certificateId, String orderId, Instant since, List<EventView> events, boolean cut) {
}
