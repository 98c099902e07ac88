package io.certflow.devstack.mongo;

import java.util.Comparator;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import de.bwaldvogel.mongo.backend.EmptyIndex;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;

/**
 * Decides what stands behind an index a client declares in the store, for both backends' databases: the
 * {@code _id} index wrapped so that it serves queries naming more than {@code _id} ({@link IdLookupIndex}), a
 * non-unique index on one field kept in memory ({@link FieldIndex}), and for a compound non-unique index what
 * mongo-java-server 1.47 does for all of them — an {@link EmptyIndex} that serves nothing (the query scans). A
 * compound index left unserved costs a scan only for queries that no single-field index serves, and no memory.
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
    public static <P> Index<P> secondary(String collection, String name, List<IndexKey> keys,
                                         Comparator<? super P> naturalOrder) {
        if (keys.size() == 1) {
            log.info("serving index {} on {}.{} from memory", name, collection, keys.get(0).getKey());
            return new FieldIndex<>(name, keys, naturalOrder);
        }
        log.info("compound index {} on {} {}: accepted, not served (queries on it scan)", name, collection, keys);
        return new EmptyIndex<>(name, keys);
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
