package io.certflow.platform.messaging;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import io.certflow.events.CertflowEvent;
import io.certflow.events.EventJson;
import io.certflow.events.MalformedEventException;

import java.io.IOException;
import java.time.Instant;
import java.util.stream.Collectors;

/**
 * Reads a record value as an event, strictly and without echoing it: a record value is input from
 * anyone who can write to the topic, so the reason a value is refused names what was wrong (not
 * JSON, a wrong type at a field, a missing field) but never repeats the value's text, which could
 * carry a secret into a dead-letter header, a log or a stack trace. Times must be ISO-8601 text,
 * as certflow writes them; a number is a wrong type, not seconds since 1970.
 */
final class EventReader {

    private static final int MAX_REASON_CHARS = 300;

    private static final ObjectMapper MAPPER = EventJson.mapper()
            .registerModule(new SimpleModule("certflow-strict-times").addDeserializer(Instant.class, new TextInstant()));

    private EventReader() {
    }

    /**
     * Reads {@code json} as {@code type}.
     *
     * @throws MalformedEventException without a cause (whose message could quote the value) and with a
     *                                 message that does not quote it
     */
    static <T extends CertflowEvent> T read(byte[] json, Class<T> type) {
        try {
            T event = MAPPER.readValue(json, type);
            if (event == null) {
                throw new MalformedEventException("unreadable " + type.getSimpleName() + ": the value is JSON null");
            }
            return event;
        } catch (JsonParseException e) {
            throw new MalformedEventException("unreadable " + type.getSimpleName() + ": the value is not JSON");
        } catch (ValueInstantiationException e) {
            // raised by the event's constructor (certflow's own checks): its message names the field, not the value
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new MalformedEventException("unreadable " + type.getSimpleName() + ": " + firstLine(cause));
        } catch (JsonMappingException e) {
            String path = pathOf(e);
            throw new MalformedEventException("unreadable " + type.getSimpleName() + ": "
                    + (path.isEmpty() ? "the value is empty or not a JSON object" : "wrong type at '" + path + "'"));
        } catch (IOException | RuntimeException e) {
            throw new MalformedEventException("unreadable " + type.getSimpleName() + ": " + e.getClass().getSimpleName());
        }
    }

    private static String pathOf(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
    }

    private static String firstLine(Throwable t) {
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int newline = message.indexOf('\n');
        String line = newline > 0 ? message.substring(0, newline) : message;
        return line.length() > MAX_REASON_CHARS ? line.substring(0, MAX_REASON_CHARS) + "…" : line;
    }

    /** An {@link Instant} from ISO-8601 text only: numbers are refused as wrong types. */
    private static final class TextInstant extends JsonDeserializer<Instant> {

        @Override
        public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.currentToken() != JsonToken.VALUE_STRING) {
                return (Instant) context.handleUnexpectedToken(Instant.class, parser);
            }
            return InstantDeserializer.INSTANT.deserialize(parser, context);
        }
    }
}
