package io.certflow.devstack.mongo;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.bson.Document;

/**
 * What a query asks of one field, in the few shapes an index on that field can answer with a superset of the
 * matching documents: equality or {@code $in} on plain values, a range ({@code $lt}, {@code $lte}, {@code $gt},
 * {@code $gte}), or {@code $exists: true}. Anything else — {@code null} (which also matches documents without the
 * field), {@code $ne}, {@code $nin}, {@code $not}, {@code $exists: false}, regular expressions, arrays or embedded
 * documents as values, unknown operators — parses to nothing, and the store scans as it always did. The store
 * applies the whole query to what the index returns, so a superset is correct; a missed document is not.
 */
public final class FieldCondition {

    private static final Set<String> RANGE = Set.of("$lt", "$lte", "$gt", "$gte");
    private static final Set<String> UNDERSTOOD = Set.of("$eq", "$in", "$lt", "$lte", "$gt", "$gte", "$exists");

    /** The values asked for by equality or {@code $in}; null when the condition is not one of those. */
    private final List<Object> values;
    private final Object lower;
    private final boolean lowerInclusive;
    private final Object upper;
    private final boolean upperInclusive;

    private FieldCondition(List<Object> values, Object lower, boolean lowerInclusive, Object upper,
                           boolean upperInclusive) {
        this.values = values;
        this.lower = lower;
        this.lowerInclusive = lowerInclusive;
        this.upper = upper;
        this.upperInclusive = upperInclusive;
    }

    /**
     * Reads the condition a query puts on one field: at its top level, or in a clause of a top-level {@code $and}
     * (the MongoDB Java driver writes {@code Filters.and} so, {@code {$and: [{_id: X}, {version: N}]}}): every
     * clause must hold, so any of them narrows to a superset.
     *
     * @return the condition, or null when the query puts none on the field that an index may answer
     */
    public static FieldCondition in(Document query, String field) {
        if (query.containsKey(field)) {
            FieldCondition condition = parse(query.get(field));
            if (condition != null) {
                return condition;
            }
        }
        if (query.get("$and") instanceof Collection<?> clauses) {
            for (Object clause : clauses) {
                if (clause instanceof Document document) {
                    FieldCondition condition = in(document, field);
                    if (condition != null) {
                        return condition;
                    }
                }
            }
        }
        return null;
    }

    /**
     * Reads the condition a query puts on one field.
     *
     * @param condition the query's value for the field (a plain value or a document of operators)
     * @return the condition, or null when an index must not answer it
     */
    public static FieldCondition parse(Object condition) {
        if (!(condition instanceof Document operators)) {
            return isPlainValue(condition) ? new FieldCondition(List.of(condition), null, false, null, false) : null;
        }
        if (operators.isEmpty() || !UNDERSTOOD.containsAll(operators.keySet())) {
            return null; // an embedded document to compare whole, or an operator we do not serve
        }
        if (operators.containsKey("$exists") && !isTrue(operators.get("$exists"))) {
            return null;
        }
        if (operators.containsKey("$eq")) {
            Object value = operators.get("$eq");
            return isPlainValue(value) ? new FieldCondition(List.of(value), null, false, null, false) : null;
        }
        if (operators.containsKey("$in")) {
            if (!(operators.get("$in") instanceof Collection<?> in)) {
                return null;
            }
            List<Object> values = new ArrayList<>(in.size());
            for (Object value : in) {
                if (!isPlainValue(value)) {
                    return null;
                }
                values.add(value);
            }
            return new FieldCondition(values, null, false, null, false);
        }
        Object lower = null;
        boolean lowerInclusive = false;
        Object upper = null;
        boolean upperInclusive = false;
        for (Map.Entry<String, Object> operator : operators.entrySet()) {
            if (!RANGE.contains(operator.getKey())) {
                continue;
            }
            if (!isPlainValue(operator.getValue())) {
                return null;
            }
            switch (operator.getKey()) {
                case "$gt" -> { lower = operator.getValue(); lowerInclusive = false; }
                case "$gte" -> { lower = operator.getValue(); lowerInclusive = true; }
                case "$lt" -> { upper = operator.getValue(); upperInclusive = false; }
                default -> { upper = operator.getValue(); upperInclusive = true; }
            }
        }
        // with neither bound this is {$exists: true} alone: every document that has the field
        return new FieldCondition(null, lower, lowerInclusive, upper, upperInclusive);
    }

    /** Whether the condition is equality or {@code $in}: then {@link #values()} lists what is asked for. */
    public boolean isEquality() {
        return values != null;
    }

    public List<Object> values() {
        return values;
    }

    /** The lower bound of a range, null when it has none (or the condition is equality). */
    public Object lower() {
        return lower;
    }

    public boolean lowerInclusive() {
        return lowerInclusive;
    }

    /** The upper bound of a range, null when it has none (or the condition is equality). */
    public Object upper() {
        return upper;
    }

    public boolean upperInclusive() {
        return upperInclusive;
    }

    /**
     * A value an index can look up: not null or missing (those also match documents without the field), not a
     * regular expression, not an array or a document (whole-value comparisons the index does not hold).
     */
    private static boolean isPlainValue(Object value) {
        return Missing.isNeitherNullNorMissing(value)
                && !(value instanceof Document) && !(value instanceof Map)
                && !(value instanceof Collection) && !value.getClass().isArray()
                && !(value instanceof Pattern) && !(value instanceof BsonRegularExpression)
                && !BsonRegularExpression.isRegularExpression(value);
    }

    private static boolean isTrue(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        return value instanceof Number n && n.doubleValue() != 0;
    }
}
