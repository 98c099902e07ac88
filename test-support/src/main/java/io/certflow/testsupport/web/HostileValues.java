package io.certflow.testsupport.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * The values a careless or hostile client sends, drawn at random: strings for path segments and query
 * parameters, JSON values for body fields, and whole bodies. Each draw mixes fixed tricky cases
 * (injection, traversal, control characters) with random ones (lengths, numbers, unicode), so a
 * seed reproduces a run.
 */
final class HostileValues {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final List<String> TRICKY = List.of(
            "", " ", "..", "../../etc/passwd", "%00", "\u0000", "%2F", "a/b", "a\\b", "{\"$gt\":\"\"}", "$gt", "$where",
            "a.b", "' OR '1'='1", "\"; DROP TABLE orders; --", "<script>alert(1)</script>", "\r\nX-Injected: 1",
            "null", "undefined", "NaN", "-1", "0", "2147483648", "9223372036854775808", "1e309", "true",
            "ünïcödé.example", "例え.テスト", "\uD835\uDD18\uD835\uDD2B\uD835\uDD26", "\u202Eevil", "\uFEFF", "\uD800",
            "*.example", "*", "%", "%%", "+", "~", "crt_", "ord_", "${jndi:ldap://x}", "#{1+1}", "\t");

    private final Random random;

    HostileValues(Random random) {
        this.random = random;
    }

    /** A raw string for a path variable: tricky, huge, random unicode, or a valid-looking id of nothing. */
    String pathValue() {
        return switch (random.nextInt(6)) {
            case 0 -> huge();
            case 1 -> unicode(1 + random.nextInt(40));
            case 2 -> UUID.randomUUID().toString();
            case 3 -> pick(List.of("crt_", "ord_", "sub_", "job_", "task_", "cred_", "")) + UUID.randomUUID();
            default -> pick(TRICKY);
        };
    }

    /** A raw string for a query parameter of this type: of the wrong type, out of range, or tricky. */
    String queryValue(Class<?> type) {
        return switch (random.nextInt(5)) {
            case 0 -> String.valueOf(random.nextLong());
            case 1 -> pick(List.of("-1", "-2147483649", "99999999999999999999", "1.5", "0x10", "1e3", "abc", "true",
                    "", " ", "00000000001"));
            case 2 -> type.isEnum() || type == String.class ? unicode(1 + random.nextInt(20)) : huge();
            case 3 -> huge();
            default -> pick(TRICKY);
        };
    }

    /** A JSON value of the wrong type, out of range, hostile or huge, for any field of a body. */
    JsonNode jsonValue() {
        return switch (random.nextInt(12)) {
            case 0 -> JSON.nullNode();
            case 1 -> JSON.booleanNode(random.nextBoolean());
            case 2 -> JSON.numberNode(random.nextLong());
            case 3 -> JSON.numberNode(new java.math.BigDecimal("1e400"));
            case 4 -> JSON.numberNode(-1);
            case 5 -> JSON.textNode(huge());
            case 6 -> JSON.textNode(pick(TRICKY));
            case 7 -> JSON.arrayNode().add(pick(TRICKY)).add(JSON.nullNode()).add(random.nextInt());
            case 8 -> JSON.objectNode().put("$gt", "");
            case 9 -> JSON.objectNode().set("$where", JSON.objectNode().put("a.b", 1));
            case 10 -> nested(20 + random.nextInt(200));
            default -> JSON.textNode(unicode(1 + random.nextInt(30)));
        };
    }

    /** A whole body that is no usable request: not JSON, truncated, of the wrong shape, deeply nested, or huge. */
    String body(String valid) {
        return switch (random.nextInt(11)) {
            case 0 -> "";
            case 1 -> "not json at all";
            case 2 -> valid.substring(0, random.nextInt(Math.max(1, valid.length())));
            case 3 -> pick(List.of("null", "[]", "0", "\"text\"", "true", "{}", "[{}]", "{\"\":null}"));
            case 4 -> "[".repeat(2_000 + random.nextInt(100_000));
            case 5 -> "{\"a\":".repeat(1_500 + random.nextInt(5_000)) + "1" + "}".repeat(10);
            case 6 -> valid.isEmpty() ? "{" : valid.substring(0, valid.length() - 1) + ",\"extra\":\"" + huge() + "\"}";
            case 7 -> valid + valid;
            case 8 -> "{\"$where\":\"sleep(1000)\",\"$set\":{\"accountId\":\"account-b\"}}";
            case 9 -> "\uFEFF" + valid;
            default -> valid.replace("\"", "'");
        };
    }

    /** A {@code Content-Type} other than JSON, or broken. */
    String contentType() {
        return pick(List.of("text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data",
                "application/json; charset=ebcdic-xx", "application/json; charset=UTF-32", "garbage", "*/*", "application/",
                "application/json;;;", "application/merge-patch+json"));
    }

    /** An {@code Accept} header a client might send. */
    String accept() {
        return pick(List.of("application/xml", "text/html", "image/png", "garbage", "*/*;q=abc", "application/problem+json",
                "text/plain"));
    }

    /** A long string: some kilobytes up to a few tens of kilobytes. */
    String huge() {
        int length = 1_000 + random.nextInt(30_000);
        return pick(List.of("a", "é", "0", "$", ".", "%")).repeat(length);
    }

    private String unicode(int length) {
        StringBuilder text = new StringBuilder();
        while (text.length() < length) {
            int codePoint = random.nextInt(0x2FFFF);
            if (Character.isValidCodePoint(codePoint) && !Character.isSurrogate((char) codePoint)) {
                text.appendCodePoint(codePoint);
            }
        }
        return text.toString();
    }

    private static JsonNode nested(int depth) {
        ArrayNode root = JSON.arrayNode();
        ArrayNode current = root;
        for (int i = 0; i < depth; i++) {
            ArrayNode next = JSON.arrayNode();
            current.add(next);
            current = next;
        }
        return root;
    }

    <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** A field of the object set to a hostile value; a copy. */
    ObjectNode withHostileField(ObjectNode valid, String field) {
        ObjectNode copy = valid.deepCopy();
        copy.set(field, jsonValue());
        return copy;
    }
}
