package io.certflow.hosting;

import io.certflow.testsupport.ServiceIT;

/** {@link HostingServiceFlows} on embedded KRaft Kafka and the Mongo wire server. */
@ServiceIT
class HostingServiceIT extends HostingServiceFlows {
}
