package io.certflow.verification;

import io.certflow.testsupport.ServiceIT;

/** {@link VerificationServiceFlows} on embedded KRaft Kafka, the Mongo wire server and a real BIND. */
@ServiceIT
class VerificationServiceIT extends VerificationServiceFlows {
}
