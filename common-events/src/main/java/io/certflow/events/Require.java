package io.certflow.events;

import java.util.Collection;

/**
 * Field checks for event record constructors: a record that lacks a required field cannot be
 * built, so a malformed record fails at deserialization and goes to the dead-letter topic.
 */
public final class Require {

    private Require() {
    }

    /** Returns {@code value}, or fails with a message naming the missing field. */
    public static <T> T present(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException("missing required field '" + field + "'");
        }
        if (value instanceof String s && s.isBlank()) {
            throw new IllegalArgumentException("required field '" + field + "' is blank");
        }
        if (value instanceof Collection<?> c && c.isEmpty()) {
            throw new IllegalArgumentException("required field '" + field + "' is empty");
        }
        return value;
    }
}
