package io.certflow.testsupport.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.TemporalAccessor;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A body of the right shape for a request type, derived by reflection from its record components (or
 * fields): every field present with a plausible value of its type. The fuzzer swaps one field at a time
 * for a hostile value, so each field of each request type is tried with the wrong type.
 */
final class BodySkeleton {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final int MAX_DEPTH = 3;

    private BodySkeleton() {
    }

    /** The field names and their generic types, in declaration order. */
    static Map<String, Type> fields(Class<?> type) {
        Map<String, Type> fields = new LinkedHashMap<>();
        if (type.isRecord()) {
            for (RecordComponent component : type.getRecordComponents()) {
                fields.put(component.getName(), component.getGenericType());
            }
        } else if (!type.isInterface() && !type.getName().startsWith("java.")) {
            for (Field field : type.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers()) && !field.isSynthetic()) {
                    fields.put(field.getName(), field.getGenericType());
                }
            }
        }
        return fields;
    }

    /** A JSON object with every field of the type filled in, or a plain value if the type is not a structure. */
    static JsonNode of(Class<?> type) {
        return value(type, 0);
    }

    private static JsonNode value(Type type, int depth) {
        Class<?> raw = raw(type);
        if (raw == String.class || raw == Object.class) {
            return JSON.textNode("fuzz.example");
        } else if (raw == boolean.class || raw == Boolean.class) {
            return JSON.booleanNode(true);
        } else if (raw.isPrimitive() || Number.class.isAssignableFrom(raw)) {
            return JSON.numberNode(1);
        } else if (raw.isEnum()) {
            Object[] constants = raw.getEnumConstants();
            return constants.length == 0 ? JSON.nullNode() : JSON.textNode(((Enum<?>) constants[0]).name());
        } else if (raw == Instant.class || TemporalAccessor.class.isAssignableFrom(raw)) {
            return JSON.textNode(Instant.now().toString());
        } else if (raw == Duration.class) {
            return JSON.textNode("PT1H");
        } else if (Collection.class.isAssignableFrom(raw) || raw.isArray()) {
            Type element = type instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : String.class;
            return depth >= MAX_DEPTH ? JSON.arrayNode() : JSON.arrayNode().add(value(element, depth + 1));
        } else if (Map.class.isAssignableFrom(raw)) {
            return JSON.objectNode().put("key", "value");
        }
        ObjectNode object = JSON.objectNode();
        if (depth < MAX_DEPTH) {
            fields(raw).forEach((name, fieldType) -> object.set(name, value(fieldType, depth + 1)));
        }
        return object;
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        } else if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        return Object.class;
    }
}
