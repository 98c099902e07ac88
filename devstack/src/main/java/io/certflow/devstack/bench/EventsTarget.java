package io.certflow.devstack.bench;

import io.certflow.devstack.Component;
import io.certflow.devstack.DevstackException;
import io.certflow.events.CertflowEvent;
import io.certflow.events.Topics;
import io.certflow.events.v1.CertificateIssued;
import io.certflow.events.v1.CertificateRequested;
import io.certflow.events.v1.PurchaseCompleted;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The event {@code ./certflow bench events} feeds each service: the one its main listener consumes, valid for it
 * (complete, the stack's account, a certificate or order id of its own) so that it is applied, never dead-lettered,
 * and applied without calling anything outside the service's database (no DNS lookup, no CA). Each event names a
 * new certificate (a new upstream order for order-service), so each one creates one document, counted afterwards
 * in {@link #collection()}.
 */
enum EventsTarget {
    /** {@code UpstreamPurchaseListener}: a purchase naming one domain; the order is applied and answered. */
    ORDER(Component.ORDER_SERVICE, Topics.PURCHASE_COMPLETED, "PurchaseCompleted", "orders"),
    /**
     * {@code CertificateRequestedListener}: a request of one new domain; a domain authorization (pending, its CNAME
     * not seen) and the waiting request are stored. Verify is never clicked, so no DNS lookup happens.
     */
    VERIFICATION(Component.VERIFICATION_SERVICE, Topics.CERTIFICATE_REQUESTED, "CertificateRequested", "verificationRequests"),
    /**
     * {@code IssuanceEventListener}: the request is only kept (the attempt starts on {@code DomainsVerified}), so
     * no ACME order is placed.
     */
    ISSUANCE(Component.ISSUANCE_SERVICE, Topics.CERTIFICATE_REQUESTED, "CertificateRequested", "certificates"),
    /** {@code CertificateLifecycleListener}: a first issuance; the certificate is tracked, hosted and planned. */
    HOSTING(Component.HOSTING_SERVICE, Topics.CERTIFICATE_ISSUED, "CertificateIssued", "certificates"),
    /**
     * {@code CertificateIssuedListener}: the version is recorded; no deployment task names the certificate, so no
     * job is queued.
     */
    DEPLOYMENT(Component.DEPLOYMENT_SERVICE, Topics.CERTIFICATE_ISSUED, "CertificateIssued", "issued_certificates");

    private final Component service;
    private final String topic;
    private final String eventName;
    private final String collection;

    EventsTarget(Component service, String topic, String eventName, String collection) {
        this.service = service;
        this.topic = topic;
        this.eventName = eventName;
        this.collection = collection;
    }

    Component service() {
        return service;
    }

    String topic() {
        return topic;
    }

    String eventName() {
        return eventName;
    }

    /** The collection of the service's database with one document per applied event. */
    String collection() {
        return collection;
    }

    /** The service's consumer group: its {@code spring.application.name} (platform's MessagingConfiguration). */
    String group() {
        return service.id();
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code order,verification} or {@code order-service}, …; all five when blank. */
    static List<EventsTarget> parse(String list) {
        List<EventsTarget> targets = new ArrayList<>();
        for (String raw : list.split(",")) {
            String name = raw.trim().toLowerCase(Locale.ROOT).replaceFirst("-service$", "");
            if (name.isEmpty()) {
                continue;
            }
            EventsTarget t = null;
            for (EventsTarget c : values()) {
                if (c.label().equals(name)) {
                    t = c;
                }
            }
            if (t == null) {
                throw new DevstackException("bench events: unknown service " + raw.trim()
                        + " (order, verification, issuance, hosting, deployment)");
            }
            if (!targets.contains(t)) {
                targets.add(t);
            }
        }
        return targets.isEmpty() ? List.of(values()) : List.copyOf(targets);
    }

    /**
     * Event {@code i} of a run: ids {@code <run>-<i>} (certificate ids {@code crt_<run>x<i>}), domain
     * {@code e<i>.<run>.events.bench.certflow.test}.
     */
    CertflowEvent event(String run, long i, String accountId, IssuedChain chain, Instant now) {
        String domain = "e" + i + "." + run + ".events.bench.certflow.test";
        String certificateId = "crt_" + run + "x" + i;
        String orderId = "evb-" + run + "-" + i;
        return switch (this) {
            case ORDER -> new PurchaseCompleted(UUID.randomUUID(), now, accountId, orderId, "dv-single",
                    List.of(domain), 1, true);
            case VERIFICATION, ISSUANCE -> new CertificateRequested(UUID.randomUUID(), now, accountId, certificateId,
                    orderId, List.of(domain), "dv-single", 1, now.plus(Duration.ofDays(365)), true, null, null);
            case HOSTING, DEPLOYMENT -> new CertificateIssued(UUID.randomUUID(), now, accountId, certificateId,
                    "att-" + run + "-" + i, chain.serialNumber(), chain.fingerprintSha256(), chain.notBefore(),
                    chain.notAfter(), chain.domains(), chain.issuer(), chain.pem(), null);
        };
    }
}
