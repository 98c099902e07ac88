package io.certflow.hosting.bench;

import io.certflow.hosting.managing.ManagedCertificate;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.codecs.DocumentCodec;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.index.IndexOperations;
import org.springframework.data.mongodb.core.index.MongoPersistentEntityIndexResolver;
import org.springframework.data.mongodb.core.mapping.MongoMappingContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Writes a {@link HostedFleet} into hosting-service's collection: the collection is dropped and its indexes created
 * from {@link ManagedCertificate}'s annotations (as the service creates them at start), then every certificate is
 * converted by Spring Data's {@code MongoConverter} — the same mapping the service saves with — and inserted in
 * bulk batches. Each document is written as the service leaves it once the outbox relay has published its events:
 * an empty {@code outbox}, and the version its writes moved it to.
 */
public final class FleetLoader {

    /**
     * What a load did.
     *
     * @param certificates how many documents were inserted
     * @param due          how many of them are due
     * @param bytes        their size as BSON
     * @param took         from the first conversion to the last acknowledged insert
     */
    public record Loaded(int certificates, int due, long bytes, Duration took) {
        /** Certificates inserted per second. */
        public double perSecond() {
            return certificates / Math.max(0.001, took.toNanos() / 1e9);
        }
    }

    private static final DocumentCodec CODEC = new DocumentCodec();

    private final MongoTemplate mongo;
    private final int batchSize;

    /**
     * @param mongo     the service's database
     * @param batchSize documents per {@code insertMany}
     */
    public FleetLoader(MongoTemplate mongo, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive, not " + batchSize);
        }
        this.mongo = mongo;
        this.batchSize = batchSize;
    }

    /**
     * Replaces the certificates collection by {@code fleet}.
     *
     * @param progress told how many are inserted after each batch
     */
    public Loaded load(HostedFleet fleet, IntConsumer progress) {
        mongo.dropCollection(ManagedCertificate.class);
        IndexOperations indexes = mongo.indexOps(ManagedCertificate.class);
        MongoMappingContext mapping = (MongoMappingContext) mongo.getConverter().getMappingContext();
        new MongoPersistentEntityIndexResolver(mapping).resolveIndexFor(ManagedCertificate.class).forEach(indexes::createIndex);
        var collection = mongo.getCollection(mongo.getCollectionName(ManagedCertificate.class));

        long start = System.nanoTime();
        long bytes = 0;
        List<Document> batch = new ArrayList<>(batchSize);
        for (int i = 0; i < fleet.hosted(); i++) {
            Document document = document(fleet.certificate(i));
            bytes += new RawBsonDocument(document, CODEC).getByteBuffer().remaining();
            batch.add(document);
            if (batch.size() == batchSize || i == fleet.hosted() - 1) {
                collection.insertMany(batch);
                batch.clear();
                progress.accept(i + 1);
            }
        }
        return new Loaded(fleet.hosted(), fleet.due(), bytes, Duration.ofNanos(System.nanoTime() - start));
    }

    /** The document of {@code certificate} as stored after the relay published its pending events. */
    Document document(ManagedCertificate certificate) {
        Document document = new Document();
        mongo.getConverter().write(certificate, document);
        document.put("outbox", new ArrayList<>());
        document.put("version", HostedFleet.version(certificate));
        return document;
    }
}
