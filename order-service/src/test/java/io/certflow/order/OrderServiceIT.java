package io.certflow.order;

import io.certflow.testsupport.ServiceIT;

/** {@link OrderServiceFlows} on embedded KRaft Kafka and the Mongo wire server. */
@ServiceIT
class OrderServiceIT extends OrderServiceFlows {
}
