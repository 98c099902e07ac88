package io.certflow.devstack.mongo;

import java.util.Comparator;
import java.util.List;

import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;

/**
 * A database of the memory backend whose declared indexes serve queries ({@link SecondaryIndexes}): the library's
 * own ignores every non-unique index and uses {@code _id} only for queries on {@code _id} alone. Positions are list
 * indexes, scanned in ascending order.
 */
public class IndexedMemoryDatabase extends MemoryDatabase {

    public IndexedMemoryDatabase(String databaseName, CursorRegistry cursorRegistry) {
        super(databaseName, cursorRegistry);
    }

    @Override
    protected Index<Integer> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys,
                                                     boolean sparse) {
        return SecondaryIndexes.unique(super.openOrCreateUniqueIndex(collectionName, indexName, keys, sparse), keys,
                sparse, Comparator.naturalOrder());
    }

    @Override
    protected Index<Integer> openOrCreateSecondaryIndex(String collectionName, String indexName, List<IndexKey> keys,
                                                        boolean sparse) {
        return SecondaryIndexes.secondary(this, collectionName, indexName, keys, Comparator.naturalOrder());
    }
}
