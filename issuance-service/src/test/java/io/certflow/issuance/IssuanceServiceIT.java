package io.certflow.issuance;

import io.certflow.testsupport.ServiceIT;

/** {@link IssuanceServiceFlows} on embedded KRaft Kafka and the Mongo wire server. */
@ServiceIT
class IssuanceServiceIT extends IssuanceServiceFlows {
}
