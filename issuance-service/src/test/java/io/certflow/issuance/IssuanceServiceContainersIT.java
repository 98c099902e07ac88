package io.certflow.issuance;

import io.certflow.testsupport.ContainersServiceIT;

/** {@link IssuanceServiceFlows} on a real MongoDB and Kafka in containers; skipped without a Docker engine. */
@ContainersServiceIT
class IssuanceServiceContainersIT extends IssuanceServiceFlows {
}
