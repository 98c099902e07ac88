package io.certflow.testsupport;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.ContextConfiguration;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An integration test of one service on a real Kafka broker (embedded, KRaft) and the Mongo wire
 * server, with a {@link TopicProbe} to publish and read events. The HTTP server listens on a
 * random port.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "certflow.security.api-keys.key-a.sha256=" + TestApiKeys.KEY_A_SHA256,
        "certflow.security.api-keys.key-a.account=account-a",
        "certflow.security.api-keys.key-b.sha256=" + TestApiKeys.KEY_B_SHA256,
        "certflow.security.api-keys.key-b.account=account-b",
        "certflow.security.api-keys.key-a-read.sha256=" + TestApiKeys.KEY_A_READ_SHA256,
        "certflow.security.api-keys.key-a-read.account=account-a",
        "certflow.security.api-keys.key-a-read.role=READ_ONLY",
        "certflow.security.api-keys.key-operator.sha256=" + TestApiKeys.KEY_OPERATOR_SHA256,
        "certflow.security.api-keys.key-operator.role=OPERATOR",
        "certflow.security.internal-token=test-internal-token",
        // the ITs and fuzzers send bursts from one key; the limiter has its own tests (RateLimiterTest)
        "certflow.security.rate-limit.requests-per-second=0",
        // verification-service's test key-encryption key (32 bytes of 0x01); other services ignore it
        "certflow.verification.key-encryption-key=AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=",
        "certflow.deployment.key-encryption-key=AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=",
        "certflow.verification.providers.custom-endpoints=true",
        "certflow.messaging.partitions=1",
        "certflow.messaging.retry.initial-interval=100ms",
        "certflow.messaging.retry.max-retries=2",
        "certflow.outbox.scan-interval=1s",
        // tests start and stop contexts often, and a broker answers a consumer's leaving only after its pending
        // fetch: the production default (2 s, an idle platform's broker CPU) would add up to that to each stop
        "spring.kafka.consumer.fetch-max-wait=500ms",
        "server.shutdown=immediate",
        "spring.lifecycle.timeout-per-shutdown-phase=2s",
        "logging.level.kafka=WARN",
        "logging.level.org.apache.kafka=WARN",
        "logging.level.state.change.logger=WARN"})
@EmbeddedKafka(kraft = true, partitions = 1, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@ContextConfiguration(initializers = MongoWireServerInitializer.class)
@Import(TopicProbe.class)
public @interface ServiceIT {
}
