package io.certflow.platform.sample;

import io.certflow.testsupport.ServiceIT;

/** {@link PlatformFlows} on embedded KRaft Kafka and the Mongo wire server. */
@ServiceIT
class PlatformIT extends PlatformFlows {
}
