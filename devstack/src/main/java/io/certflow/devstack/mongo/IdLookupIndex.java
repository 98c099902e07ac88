package io.certflow.devstack.mongo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.KeyConstraintError;

/**
 * The {@code _id} index, answering also queries that name {@code _id} among other keys. mongo-java-server 1.47's
 * unique index serves a query only when its keys are exactly the index's ({@code AbstractUniqueIndex.canHandle}),
 * so Spring Data's versioned save ({@code {_id: X, version: N}}), a conditional update by id, or
 * {@code {_id: {$in: [...]}, claimToken: T}} — or the driver's {@code {$and: [{_id: X}, {...}]}} — each scanned the whole collection. Here a query whose {@code _id} is
 * an equality or an {@code $in} of plain values is answered from the {@code _id} index's positions for those ids; the
 * store then applies the whole query to them. Everything else goes to the wrapped index unchanged, and every
 * maintenance callback (uniqueness, insert, update, delete) is the wrapped index's own.
 *
 * @param <P> the backend's position of a document
 */
public final class IdLookupIndex<P> extends Index<P> {

    private static final String ID = "_id";

    private final Index<P> unique;
    private final Comparator<? super P> naturalOrder;

    /**
     * @param unique       the backend's own unique index on {@code _id}
     * @param keys         its keys
     * @param sparse       what the backend was asked for (never true for {@code _id})
     * @param naturalOrder the order in which the backend's scan visits positions, so that results come in the order
     *                     a scan would give them
     */
    public IdLookupIndex(Index<P> unique, List<IndexKey> keys, boolean sparse, Comparator<? super P> naturalOrder) {
        super(unique.getName(), keys, sparse);
        this.unique = unique;
        this.naturalOrder = naturalOrder;
    }

    /** Whether a declared index is the one on {@code _id} alone (the one to wrap). */
    public static boolean isIdIndex(List<IndexKey> keys) {
        return keys.size() == 1 && ID.equals(keys.get(0).getKey());
    }

    @Override
    public boolean canHandle(Document query) {
        return unique.canHandle(query) || ids(query) != null;
    }

    @Override
    public Iterable<P> getPositions(Document query) {
        if (unique.canHandle(query)) {
            return unique.getPositions(query);
        }
        Set<P> found = new LinkedHashSet<>();
        for (Object id : ids(query)) {
            unique.getPositions(new Document(ID, id)).forEach(found::add);
        }
        List<P> positions = new ArrayList<>(found);
        positions.sort(naturalOrder);
        return positions;
    }

    /**
     * The ids a query names by equality or {@code $in} (at its top level or in a top-level {@code $and}), or null
     * when it names them otherwise (or not at all).
     */
    private static List<Object> ids(Document query) {
        FieldCondition condition = FieldCondition.in(query, ID);
        if (condition == null || !condition.isEquality()) {
            return null;
        }
        return new ArrayList<>(condition.values());
    }

    @Override
    public P getPosition(Document document) {
        return unique.getPosition(document);
    }

    @Override
    public void checkAdd(Document document, MongoCollection<P> collection) {
        unique.checkAdd(document, collection);
    }

    @Override
    public void add(Document document, P position, MongoCollection<P> collection) {
        unique.add(document, position, collection);
    }

    @Override
    public P remove(Document document) {
        return unique.remove(document);
    }

    @Override
    public long getCount() {
        return unique.getCount();
    }

    @Override
    public long getDataSize() {
        return unique.getDataSize();
    }

    @Override
    public void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<P> collection) {
        unique.checkUpdate(oldDocument, newDocument, collection);
    }

    @Override
    public void updateInPlace(Document oldDocument, Document newDocument, P position, MongoCollection<P> collection)
            throws KeyConstraintError {
        unique.updateInPlace(oldDocument, newDocument, position, collection);
    }

    @Override
    public void drop() {
        unique.drop();
    }

    @Override
    public boolean isUnique() {
        return unique.isUnique();
    }

    @Override
    public Document toIndexDescription() {
        return unique.toIndexDescription();
    }

}
