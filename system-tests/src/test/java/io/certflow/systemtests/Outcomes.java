package io.certflow.systemtests;

import io.certflow.devstack.TlsProbe;
import io.certflow.events.v1.CertificateIssued;
import io.certflow.events.v1.CertificateRequested;
import io.certflow.events.v1.DeploymentCompleted;
import io.certflow.events.v1.IssuanceFailed;
import io.certflow.events.v1.RenewalDue;
import io.certflow.testsupport.TopicProbe;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The end state every fault case checks, read from the topics: no event lost (every {@code CertificateRequested}
 * ends in {@code CertificateIssued} or {@code IssuanceFailed} for the same certificate, every {@code RenewalDue} in a
 * {@code CertificateIssued} that replaces its serial or an {@code IssuanceFailed}), and no duplicate (one
 * {@code CertificateIssued} per attempt, one {@code DeploymentCompleted} job per certificate version).
 */
final class Outcomes {

    private final TopicProbe topics;

    Outcomes(TopicProbe topics) {
        this.topics = topics;
    }

    /** Waits until every request and renewal on the topics has its outcome; fails naming those that have none. */
    void awaitNothingLost(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        List<String> lost = lost();
        while (!lost.isEmpty() && Instant.now().isBefore(deadline)) {
            Customer.sleep(500);
            lost = lost();
        }
        assertThat(lost).as("requests and renewals without CertificateIssued or IssuanceFailed").isEmpty();
    }

    /** The requests and renewals seen on the topics that have no outcome (yet). */
    List<String> lost() {
        List<CertificateIssued> issued = topics.all(CertificateIssued.class);
        Set<String> failed = topics.all(IssuanceFailed.class).stream().map(IssuanceFailed::certificateId)
                .collect(Collectors.toSet());
        List<String> lost = new ArrayList<>();
        for (String certificateId : topics.all(CertificateRequested.class).stream()
                .map(CertificateRequested::certificateId).distinct().toList()) {
            boolean ended = failed.contains(certificateId) || issued.stream()
                    .anyMatch(i -> i.certificateId().equals(certificateId) && i.replacesSerialNumber() == null);
            if (!ended) {
                lost.add("CertificateRequested " + certificateId);
            }
        }
        for (RenewalDue due : topics.all(RenewalDue.class)) {
            boolean ended = failed.contains(due.certificateId()) || issued.stream()
                    .anyMatch(i -> i.certificateId().equals(due.certificateId())
                            && Customer.sameSerial(due.currentSerialNumber(), i.replacesSerialNumber()));
            if (!ended) {
                lost.add("RenewalDue " + due.certificateId() + " of serial " + due.currentSerialNumber());
            }
        }
        return lost.stream().distinct().toList();
    }

    /** Asserts one {@code CertificateIssued} per issued serial and per attempt (a replay repeats the same event id). */
    void assertOneCertificateIssuedPerAttempt(String certificateId) {
        Map<String, Set<Object>> eventsPerAttempt = topics.all(CertificateIssued.class).stream()
                .filter(i -> i.certificateId().equals(certificateId))
                .collect(Collectors.groupingBy(CertificateIssued::attemptId, TreeMap::new,
                        Collectors.mapping(CertificateIssued::eventId, Collectors.toSet())));
        eventsPerAttempt.forEach((attempt, events) ->
                assertThat(events).as("CertificateIssued events of attempt " + attempt).hasSize(1));
    }

    /** The serials issued for a certificate, in order: the first, then each renewal. */
    List<String> issuedSerials(String certificateId) {
        return topics.all(CertificateIssued.class).stream().filter(i -> i.certificateId().equals(certificateId))
                .map(i -> TlsProbe.normalizeSerial(i.serialNumber())).distinct().toList();
    }

    /** Asserts that each version of the certificate was deployed by exactly one job ({@code DeploymentCompleted}). */
    void assertOneDeploymentPerVersion(String certificateId) {
        Map<String, Set<String>> jobsPerSerial = topics.all(DeploymentCompleted.class).stream()
                .filter(d -> d.certificateId().equals(certificateId))
                .collect(Collectors.groupingBy(d -> TlsProbe.normalizeSerial(d.serialNumber()), TreeMap::new,
                        Collectors.mapping(DeploymentCompleted::jobId, Collectors.toSet())));
        assertThat(jobsPerSerial).as("deployment jobs per version of " + certificateId).isNotEmpty();
        jobsPerSerial.forEach((serial, jobs) ->
                assertThat(jobs).as("DeploymentCompleted jobs of version " + serial).hasSize(1));
    }
}
