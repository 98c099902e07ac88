package io.certflow.devstack.mongo;

import java.util.Comparator;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.EmptyIndex;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;

/**
 * Decides what stands behind an index a client declares in the store, for both backends' databases: the
 * {@code _id} index wrapped so that it serves queries naming more than {@code _id} ({@link IdLookupIndex}), a
 * non-unique index on one field kept in memory ({@link FieldIndex}); a compound one served by its first key alone
 * (the whole query is applied to what that returns), unless another index of the collection already holds that
 * field — then, to spare the memory of a second copy, it is what mongo-java-server 1.47 makes of every non-unique
 * index: an {@link EmptyIndex} that serves nothing. (Dropping the index that holds the field leaves the field
 * unserved until the store restarts.)
 */
public final class SecondaryIndexes {

    private static final Logger log = LoggerFactory.getLogger(SecondaryIndexes.class);

    private SecondaryIndexes() {
    }

    /**
     * The index behind a declared non-unique index.
     *
     * @param naturalOrder the order of the backend's positions in a scan
     */
    public static <P> Index<P> secondary(MongoDatabase database, String collection, String name, List<IndexKey> keys,
                                         Comparator<? super P> naturalOrder) {
        String field = keys.get(0).getKey();
        MongoCollection<?> existing = database.resolveCollection(collection, false);
        boolean held = existing != null && existing.getIndexes().stream()
                .anyMatch(index -> index instanceof FieldIndex<?> f && f.field().equals(field));
        if (held) {
            log.info("index {} on {} {}: accepted, served by the index already on {}", name, collection, keys, field);
            return new EmptyIndex<>(name, keys);
        }
        log.info("serving index {} on {} from memory by {}", name, collection, field);
        return new FieldIndex<>(name, keys, naturalOrder);
    }

    /**
     * The backend's unique index as the store uses it: the one on {@code _id} also serves queries that name more
     * than {@code _id}, others stay as they are.
     */
    public static <P> Index<P> unique(Index<P> index, List<IndexKey> keys, boolean sparse,
                                      Comparator<? super P> naturalOrder) {
        return IdLookupIndex.isIdIndex(keys) ? new IdLookupIndex<>(index, keys, sparse, naturalOrder) : index;
    }
}
