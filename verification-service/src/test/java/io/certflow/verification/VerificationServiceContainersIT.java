package io.certflow.verification;

import io.certflow.testsupport.ContainersServiceIT;

/** {@link VerificationServiceFlows} on a real MongoDB and Kafka in containers; skipped without a Docker engine. */
@ContainersServiceIT
class VerificationServiceContainersIT extends VerificationServiceFlows {
}
