package io.certflow.testsupport;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;

import java.net.InetSocketAddress;
import java.util.UUID;

/**
 * Starts an in-memory Mongo wire server (mongo-java-server) on a free loopback port for one Spring
 * test context and points {@code spring.data.mongodb.uri} at it. The real MongoDB driver and Spring
 * Data talk to it over the wire protocol; it has no transactions, like certflow assumes.
 */
public class MongoWireServerInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        MongoServer server = new MongoServer(new MemoryBackend());
        server.bind("127.0.0.1", 0);
        InetSocketAddress address = server.getLocalAddress();
        String database = "test-" + UUID.randomUUID().toString().substring(0, 8);
        TestPropertyValues.of("spring.data.mongodb.uri=mongodb://127.0.0.1:" + address.getPort() + "/" + database)
                .applyTo(context.getEnvironment());
        context.addApplicationListener((ApplicationListener<ContextClosedEvent>) event -> {
            if (event.getApplicationContext() == context) {
                server.shutdownNow();
            }
        });
    }
}
