package io.certflow.console.topics;

import io.certflow.platform.web.ApiException;

/** Kafka did not answer in time: the dashboard answers 503 rather than hang or fail with a 500. */
public class KafkaUnavailableException extends ApiException {

    public KafkaUnavailableException(String detail) {
        super(503, detail);
    }
}
