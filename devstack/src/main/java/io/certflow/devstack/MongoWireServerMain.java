package io.certflow.devstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;

/**
 * The Mongo wire server as its own process: {@code MongoWireServerMain <port> <h2-file>} serves the
 * MongoDB wire protocol on 127.0.0.1 from an H2 MVStore file, so data survive a restart of the stack.
 * No MongoDB server binary is installable on the build machines (DESIGN §7).
 */
public final class MongoWireServerMain {
    private MongoWireServerMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: MongoWireServerMain <port> <h2-file>");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        Path file = Path.of(args[1]).toAbsolutePath();
        Files.createDirectories(file.getParent());
        H2Backend backend = new HelloAwareH2Backend(file.toString());
        MongoServer server = new MongoServer(backend);
        server.bind("127.0.0.1", port);
        System.out.println("mongo wire server listening on 127.0.0.1:" + port + ", data in " + file);
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
    static final class HelloAwareH2Backend extends H2Backend {
        HelloAwareH2Backend(String fileName) {
            super(fileName);
        }

        @Override
        public Document handleCommand(Channel channel, String database, String command, Document query) {
            if ("hello".equalsIgnoreCase(command)) {
                Document result = super.handleCommand(channel, database, "isMaster", query);
                result.putIfAbsent("isWritablePrimary", Boolean.TRUE);
                return result;
            }
            return super.handleCommand(channel, database, command, query);
        }
    }
}
