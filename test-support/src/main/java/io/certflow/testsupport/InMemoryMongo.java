package io.certflow.testsupport;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.springframework.data.mongodb.core.MongoTemplate;

/**
 * A Mongo wire server in memory on a free loopback port, with a client and a {@link MongoTemplate} on one
 * database: the store of a unit test that needs real queries and conditional updates but no Spring context.
 * Close it after the test.
 */
public final class InMemoryMongo implements AutoCloseable {

    private final MongoServer server;
    private final MongoClient client;
    private final MongoTemplate template;

    private InMemoryMongo(String database) {
        server = new MongoServer(new MemoryBackend());
        server.bind("127.0.0.1", 0);
        client = MongoClients.create("mongodb://127.0.0.1:" + server.getLocalAddress().getPort());
        template = new MongoTemplate(client, database);
    }

    /** Starts a server and connects to {@code database}. */
    public static InMemoryMongo start(String database) {
        return new InMemoryMongo(database);
    }

    public MongoTemplate template() {
        return template;
    }

    @Override
    public void close() {
        client.close();
        server.shutdownNow();
    }
}
