package io.certflow.devstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.bson.Document;
import io.certflow.devstack.mongo.IndexedH2Backend;
import io.certflow.devstack.mongo.IndexedMemoryBackend;
import io.netty.channel.Channel;

/**
 * The Mongo wire server as its own process: {@code MongoWireServerMain <port> <h2-file>} serves the
 * MongoDB wire protocol on 127.0.0.1 from an H2 MVStore file, so data survive a restart of the stack.
 * No MongoDB server binary is installable on the build machines (DESIGN §7). With {@value #MEMORY} instead of the
 * file the data are kept in memory only (for benchmarks that compare the two).
 *
 * <p>Both backends serve queries from the indexes the services declare ({@code io.certflow.devstack.mongo}):
 * mongo-java-server alone builds only unique indexes and uses {@code _id} only for a query on {@code _id} alone, so
 * every periodic query and every versioned save would read the whole collection.
 */
public final class MongoWireServerMain {
    /** The file argument that keeps the data in memory. */
    public static final String MEMORY = "--memory";

    private MongoWireServerMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: MongoWireServerMain <port> <h2-file>|" + MEMORY);
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        MongoBackend backend;
        String where;
        if (MEMORY.equals(args[1])) {
            backend = new HelloAwareMemoryBackend();
            where = "memory";
        } else {
            Path file = Path.of(args[1]).toAbsolutePath();
            Files.createDirectories(file.getParent());
            backend = new HelloAwareH2Backend(file.toString());
            where = file.toString();
        }
        MongoServer server = new MongoServer(backend);
        server.bind("127.0.0.1", port);
        System.out.println("mongo wire server listening on 127.0.0.1:" + port + ", data in " + where);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("mongo wire server stopping");
            try {
                server.shutdownNow();
            } finally {
                try {
                    backend.close();
                } catch (RuntimeException e) {
                    // already closed by the server
                }
                stopped.countDown();
            }
        }, "mongo-wire-shutdown"));
        stopped.await();
    }

    /**
     * mongo-java-server 1.47 knows {@code isMaster} but not its successor {@code hello}, which Spring Boot's
     * Mongo health indicator sends: without this, {@code /actuator/health} of every service is DOWN.
     */
    static final class HelloAwareH2Backend extends IndexedH2Backend {
        HelloAwareH2Backend(String fileName) {
            super(fileName);
        }

        @Override
        public Document handleCommand(Channel channel, String database, String command, Document query) {
            return "hello".equalsIgnoreCase(command) ? hello(super.handleCommand(channel, database, "isMaster", query))
                    : super.handleCommand(channel, database, command, query);
        }
    }

    /** The memory backend, answering {@code hello} as {@link HelloAwareH2Backend} does. */
    static final class HelloAwareMemoryBackend extends IndexedMemoryBackend {
        @Override
        public Document handleCommand(Channel channel, String database, String command, Document query) {
            return "hello".equalsIgnoreCase(command) ? hello(super.handleCommand(channel, database, "isMaster", query))
                    : super.handleCommand(channel, database, command, query);
        }
    }

    private static Document hello(Document isMaster) {
        isMaster.putIfAbsent("isWritablePrimary", Boolean.TRUE);
        return isMaster;
    }
}
