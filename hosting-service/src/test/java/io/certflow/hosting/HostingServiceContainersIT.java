package io.certflow.hosting;

import io.certflow.testsupport.ContainersServiceIT;

/** {@link HostingServiceFlows} on a real MongoDB and Kafka in containers; skipped without a Docker engine. */
@ContainersServiceIT
class HostingServiceContainersIT extends HostingServiceFlows {
}
