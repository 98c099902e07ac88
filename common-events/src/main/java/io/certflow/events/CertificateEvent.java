package io.certflow.events;

/**
 * An event about one managed certificate. Keyed by {@link #certificateId()}, which stays the same
 * across renewals, so all events of one certificate keep their order within a topic.
 */
public interface CertificateEvent extends CertflowEvent {

    /** The managed certificate, stable across renewals. */
    String certificateId();

    @Override
    default String subject() {
        return certificateId();
    }
}
