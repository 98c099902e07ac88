package io.certflow.order;

import io.certflow.testsupport.ContainersServiceIT;

/** {@link OrderServiceFlows} on a real MongoDB and Kafka in containers; skipped without a Docker engine. */
@ContainersServiceIT
class OrderServiceContainersIT extends OrderServiceFlows {
}
