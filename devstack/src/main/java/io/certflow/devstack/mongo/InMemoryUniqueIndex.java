package io.certflow.devstack.mongo;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import de.bwaldvogel.mongo.backend.AbstractUniqueIndex;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;

/**
 * A unique index of the H2 file backend, kept in memory. mongo-java-server 1.47 keeps an H2 unique index in an
 * {@code MVMap} keyed by {@link KeyValue}, a type H2 does not know, so each comparison of the map's binary search
 * serializes both keys with Java serialization: every lookup by {@code _id} (each save, claim and read of the
 * services) cost about a third of the store's CPU in {@code ./certflow bench issue} (docs/benchmarks.md). Here a hash
 * map answers, as the memory backend's own unique index does.
 *
 * <p>Not persisted, like {@link FieldIndex}: the collection rebuilds it from its documents when the index is opened
 * (at the store's start), through {@code AbstractMongoCollection.addIndex}, and uniqueness holds across restarts
 * because the documents it is rebuilt from were unique when written. The index maps of files written before are
 * left in the file, unread.
 *
 * @param <P> the backend's position of a document (the {@code _id} in H2)
 */
public final class InMemoryUniqueIndex<P> extends AbstractUniqueIndex<P> {

    private final Map<KeyValue, P> positions = new ConcurrentHashMap<>();

    public InMemoryUniqueIndex(String name, List<IndexKey> keys, boolean sparse) {
        super(name, keys, sparse);
    }

    @Override
    protected P removeDocument(KeyValue key) {
        return positions.remove(key);
    }

    @Override
    protected boolean containsKey(KeyValue key) {
        return positions.containsKey(key);
    }

    @Override
    protected boolean putKeyPosition(KeyValue key, P position) {
        return positions.putIfAbsent(key, position) == null;
    }

    @Override
    protected Iterable<Map.Entry<KeyValue, P>> getIterable() {
        return positions.entrySet();
    }

    @Override
    protected P getPosition(KeyValue key) {
        return positions.get(key);
    }

    @Override
    public long getCount() {
        return positions.size();
    }

    @Override
    public boolean isEmpty() {
        return positions.isEmpty();
    }

    @Override
    public long getDataSize() {
        return getCount();
    }
}
