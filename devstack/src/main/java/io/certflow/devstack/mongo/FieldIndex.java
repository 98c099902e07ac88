package io.certflow.devstack.mongo;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.DefaultQueryMatcher;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;

/**
 * A non-unique index on one field, kept in memory: mongo-java-server 1.47 accepts such indexes (the services
 * declare them through {@code createIndexes}) but builds none, so every query the services run periodically was a
 * scan of the whole collection. This one maps each value of the field — every element when it holds an array, as
 * MongoDB's multikey indexes do — to the documents holding it, ordered by the library's {@link ValueComparator}.
 *
 * <p>It holds only documents that have the field, whatever the declared index says (sparse or not, partial or
 * not): a partial index's documents are a subset of those, and the store applies the whole query to the positions
 * an index returns, so returning more is correct. For the same reason it answers only conditions that a document
 * without the field cannot meet ({@link FieldCondition}): never {@code null}, {@code $exists: false}, {@code $ne}.
 *
 * <p>Not persisted: the collection rebuilds it from its documents when the index is opened (at the store's start
 * for an H2 file), through {@code AbstractMongoCollection.addIndex}. Kept up to date through the
 * {@link Index} callbacks on insert, update and delete. Declared sparse towards the library, as the
 * {@code EmptyIndex} it replaces was, so that deleting a document it does not hold is no error.
 *
 * <p>A compound index is served by its first key ({@link SecondaryIndexes}): this index then holds that field only.
 *
 * @param <P> the backend's position of a document (a list index in memory, the {@code _id} in H2)
 */
public final class FieldIndex<P> extends Index<P> {

    private static final String ID = "_id";

    private final String field;
    private final Comparator<? super P> naturalOrder;
    /**
     * Value of the field (or array element) to the documents holding it, by {@link #idOf id} to position: a
     * {@link Holder} while one document holds the value (most values, at a million documents), else a map.
     */
    private final NavigableMap<Object, Object> byValue = new TreeMap<>(ValueComparator.ascWithoutListHandling());
    /**
     * Documents that have the field but no value to look up ({@code null}, an empty or nested array), for
     * {@code $exists: true}.
     */
    private final Map<Object, P> withoutValue = new LinkedHashMap<>();
    /** Documents held under the elements of an array. */
    private final Map<Object, Integer> multikey = new LinkedHashMap<>();
    private long documents;
    /** The store's own matcher, for whether a document without a value to look up has the field at all. */
    private final DefaultQueryMatcher exists = new DefaultQueryMatcher();
    private final Document existsQuery;

    /**
     * @param name         the index's name as declared
     * @param keys         the declared keys; the first is the indexed field
     * @param naturalOrder the order in which the backend's scan visits positions, so that results come in the
     *                     order a scan would give them
     */
    public FieldIndex(String name, List<IndexKey> keys, Comparator<? super P> naturalOrder) {
        super(name, keys, true);
        this.field = keys.get(0).getKey();
        this.naturalOrder = naturalOrder;
        this.existsQuery = new Document(field, new Document("$exists", true));
    }

    /** The indexed field (a dotted path for embedded documents). */
    public String field() {
        return field;
    }

    @Override
    public synchronized boolean canHandle(Document query) {
        return FieldCondition.in(query, field) != null;
    }

    @Override
    public synchronized Iterable<P> getPositions(Document query) {
        FieldCondition condition = FieldCondition.in(query, field);
        // a document is under several values only when it holds an array: else a list has no duplicates (and
        // costs a tenth of a set when a query names most of the collection, as a count per status does)
        Collection<P> positions = multikey.isEmpty() ? new ArrayList<>() : new LinkedHashSet<>();
        if (condition.isEquality()) {
            for (Object value : condition.values()) {
                collect(byValue.get(value), positions);
            }
        } else if (condition.lower() == null && condition.upper() == null) {
            byValue.values().forEach(holders -> collect(holders, positions));
            positions.addAll(withoutValue.values());
        } else {
            range(condition).values().forEach(holders -> collect(holders, positions));
        }
        List<P> ordered = positions instanceof List<P> list ? list : new ArrayList<>(positions);
        ordered.sort(naturalOrder);
        return ordered;
    }

    /**
     * The part of the index a range can match. Both bounds only while no document holds an array: a document
     * {@code [1, 10]} meets {@code $gt: 5, $lt: 3} with two different elements, so then one bound alone.
     */
    private NavigableMap<Object, Object> range(FieldCondition condition) {
        boolean bothBounds = condition.lower() != null && condition.upper() != null && multikey.isEmpty();
        if (bothBounds) {
            if (ValueComparator.ascWithoutListHandling().compare(condition.lower(), condition.upper()) > 0) {
                return new TreeMap<>();
            }
            return byValue.subMap(condition.lower(), condition.lowerInclusive(), condition.upper(),
                    condition.upperInclusive());
        }
        if (condition.lower() != null) {
            return byValue.tailMap(condition.lower(), condition.lowerInclusive());
        }
        return byValue.headMap(condition.upper(), condition.upperInclusive());
    }

    @Override
    public synchronized void add(Document document, P position, MongoCollection<P> collection) {
        Object value = Utils.getSubdocumentValueCollectionAware(document, field);
        if (value instanceof Missing) {
            return;
        }
        Object id = idOf(document);
        List<Object> values = lookupValues(value);
        if (values.isEmpty()) {
            // null, an empty or nested array: held only where {$exists: true} matches it as the store decides it —
            // not, say, the empty outbox of every document under an index on "outbox.eventId"
            if (!exists.matches(document, existsQuery)) {
                return;
            }
            withoutValue.put(id, position);
        } else {
            for (Object v : values) {
                byValue.merge(v, new Holder<>(id, position), FieldIndex::join);
            }
            if (values.size() > 1 || value instanceof Collection) {
                multikey.put(id, values.size());
            }
        }
        documents++;
    }

    @Override
    public synchronized P remove(Document document) {
        Object value = Utils.getSubdocumentValueCollectionAware(document, field);
        if (value instanceof Missing) {
            return null;
        }
        Object id = idOf(document);
        P position = withoutValue.remove(id);
        for (Object v : lookupValues(value)) {
            P removed = removeHolder(v, id);
            position = position != null ? position : removed;
        }
        multikey.remove(id);
        if (position != null) {
            documents--;
        }
        return position;
    }

    @Override
    public synchronized void updateInPlace(Document oldDocument, Document newDocument, P position,
                                           MongoCollection<P> collection) {
        Object oldValue = Utils.getSubdocumentValueCollectionAware(oldDocument, field);
        Object newValue = Utils.getSubdocumentValueCollectionAware(newDocument, field);
        boolean oldHas = !(oldValue instanceof Missing);
        boolean newHas = !(newValue instanceof Missing);
        if (!oldHas && !newHas) {
            return;
        }
        if (oldHas && newHas && (oldValue instanceof Collection) == (newValue instanceof Collection)
                && lookupValues(oldValue).equals(lookupValues(newValue))) {
            return; // the field did not change: the document stays where it is
        }
        remove(oldDocument);
        add(newDocument, position, collection);
    }

    /** The values a document is found under: the field's value, or each plain element of its array. */
    private static List<Object> lookupValues(Object value) {
        List<Object> values = new ArrayList<>();
        if (value instanceof Collection<?> elements) {
            for (Object element : elements) {
                if (isKey(element)) {
                    values.add(element);
                }
            }
        } else if (isKey(value)) {
            values.add(value);
        }
        return values;
    }

    private static boolean isKey(Object value) {
        return Missing.isNeitherNullNorMissing(value) && !(value instanceof Collection);
    }

    /**
     * What tells a document from others holding the same value: its {@code _id} when that is a string or an
     * ObjectId (no copy: the document's own), else the {@code _id} normalized as the {@code _id} index keys it.
     */
    private static Object idOf(Document document) {
        Object id = document.get(ID);
        return id instanceof String || id instanceof ObjectId ? id : new KeyValue(new Object[] {id}).normalized();
    }

    /** One document holding a value. */
    private record Holder<P>(Object id, P position) {
    }

    @SuppressWarnings("unchecked")
    private static <P> Object join(Object holders, Object added) {
        Holder<P> holder = (Holder<P>) added;
        Map<Object, P> map;
        if (holders instanceof Holder<?> single) {
            if (single.id().equals(holder.id())) {
                return added;
            }
            map = new LinkedHashMap<>(4);
            map.put(single.id(), (P) single.position());
        } else {
            map = (Map<Object, P>) holders;
        }
        map.put(holder.id(), holder.position());
        return map;
    }

    @SuppressWarnings("unchecked")
    private P removeHolder(Object value, Object id) {
        Object holders = byValue.get(value);
        if (holders instanceof Holder<?> single) {
            if (!single.id().equals(id)) {
                return null;
            }
            byValue.remove(value);
            return (P) single.position();
        }
        if (holders == null) {
            return null;
        }
        Map<Object, P> map = (Map<Object, P>) holders;
        P removed = map.remove(id);
        if (map.isEmpty()) {
            byValue.remove(value);
        } else if (map.size() == 1) {
            Map.Entry<Object, P> last = map.entrySet().iterator().next();
            byValue.put(value, new Holder<>(last.getKey(), last.getValue()));
        }
        return removed;
    }

    @SuppressWarnings("unchecked")
    private void collect(Object holders, Collection<P> positions) {
        if (holders instanceof Holder<?> single) {
            positions.add((P) single.position());
        } else if (holders != null) {
            positions.addAll(((Map<Object, P>) holders).values());
        }
    }

    /** A document's position, were it asked: left to the {@code _id} index, which every collection has. */
    @Override
    public P getPosition(Document document) {
        return null;
    }

    @Override
    public void checkAdd(Document document, MongoCollection<P> collection) {
        // not unique: nothing to refuse
    }

    @Override
    public void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<P> collection) {
        // not unique: nothing to refuse
    }

    @Override
    public synchronized long getCount() {
        return documents;
    }

    @Override
    public long getDataSize() {
        return 0;
    }

    @Override
    public synchronized void drop() {
        byValue.clear();
        withoutValue.clear();
        multikey.clear();
        documents = 0;
    }
}
