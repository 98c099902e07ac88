package io.certflow.deployment;

import io.certflow.testsupport.ContainersServiceIT;

/** {@link DeploymentServiceFlows} on a real MongoDB and Kafka in containers; skipped without a Docker engine. */
@ContainersServiceIT
class DeploymentServiceContainersIT extends DeploymentServiceFlows {
}
