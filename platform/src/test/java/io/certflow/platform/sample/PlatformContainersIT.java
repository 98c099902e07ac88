package io.certflow.platform.sample;

import io.certflow.testsupport.ContainersServiceIT;

/** {@link PlatformFlows} on a real MongoDB and Kafka in containers; skipped without a Docker engine. */
@ContainersServiceIT
class PlatformContainersIT extends PlatformFlows {
}
