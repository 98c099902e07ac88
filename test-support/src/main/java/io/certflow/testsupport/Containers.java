package io.certflow.testsupport;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.MongoDBContainer;
import org.testcontainers.kafka.KafkaContainer;

import java.util.UUID;

/**
 * Real MongoDB and Kafka in containers, started once per JVM, for {@link ContainersServiceIT}.
 * Each test context gets its own database.
 */
public class Containers implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    private static MongoDBContainer mongo;
    private static KafkaContainer kafka;

    /** Whether a Docker engine answers; used to skip container tests where none runs. */
    public static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        start();
        String database = "test-" + UUID.randomUUID().toString().substring(0, 8);
        TestPropertyValues.of(
                "spring.data.mongodb.uri=" + mongo.getReplicaSetUrl(database),
                "spring.kafka.bootstrap-servers=" + kafka.getBootstrapServers()).applyTo(context.getEnvironment());
    }

    private static synchronized void start() {
        if (mongo == null) {
            mongo = new MongoDBContainer("mongo:7.0");
            mongo.start();
            kafka = new KafkaContainer("apache/kafka:3.9.1");
            kafka.start();
        }
    }
}
