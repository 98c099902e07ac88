package io.certflow.devstack.mongo;

import java.util.List;

import org.h2.mvstore.MVStore;

import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.backend.h2.H2Database;

/**
 * A database of the H2 file backend whose declared indexes serve queries ({@link SecondaryIndexes}), as
 * {@link IndexedMemoryDatabase} does for the memory backend. No index is written to the file (the unique ones are
 * {@link InMemoryUniqueIndex}es): the database re-opens every declared index when it opens, and each is rebuilt from
 * the documents then. Positions are the documents' ids, scanned in their order.
 */
public class IndexedH2Database extends H2Database {

    public IndexedH2Database(String databaseName, MVStore mvStore, CursorRegistry cursorRegistry) {
        super(databaseName, mvStore, cursorRegistry);
    }

    @Override
    protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys,
                                                    boolean sparse) {
        return SecondaryIndexes.unique(new InMemoryUniqueIndex<>(indexName, keys, sparse), keys, sparse,
                ValueComparator.asc());
    }

    @Override
    protected Index<Object> openOrCreateSecondaryIndex(String collectionName, String indexName, List<IndexKey> keys,
                                                       boolean sparse) {
        return SecondaryIndexes.secondary(this, collectionName, indexName, keys, ValueComparator.asc());
    }
}
