package io.certflow.deployment;

import io.certflow.testsupport.ServiceIT;

/** {@link DeploymentServiceFlows} on embedded KRaft Kafka and the Mongo wire server. */
@ServiceIT
class DeploymentServiceIT extends DeploymentServiceFlows {
}
