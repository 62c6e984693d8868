package io.llmservice.core.internal.adapter;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one JSON document into plain values with Jackson's streaming parser: an object as a
 * {@link LinkedHashMap} in document order (a repeated name keeps its last value), an array as an
 * {@link ArrayList}, a string, an integer as the smallest of {@code Integer}, {@code Long} and
 * {@code BigInteger} that holds it, any other number as a {@code BigDecimal}, a {@code Boolean}
 * or {@code null}. That is what {@code ObjectMapper.readValue(json, Object.class)} gives with
 * {@code USE_BIG_DECIMAL_FOR_FLOATS} (a test holds the two together), without starting
 * jackson-databind, whose first {@code ObjectMapper} costs a command-line call ~50 ms of CPU
 * (its static date format set-up reads the locale and time-zone data).
 *
 * <pre>{@code
 * Object doc = JsonTree.read(stdoutBytes);   // Map, List or scalar; JsonProcessingException when not one JSON value
 * String text = JsonTree.write(doc);         // compact JSON again
 * }</pre>
 *
 * <p>Anything but whitespace after the value is an error, as with databind's
 * {@code FAIL_ON_TRAILING_TOKENS}. Nesting is bounded by Jackson's stream read constraints (1,000
 * levels by default). Stateless and thread-safe.
 */
final class JsonTree {
    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonTree() {
    }

    /**
     * The value of a UTF-8 (or UTF-16/32, detected) JSON document. Bytes that cannot be decoded in
     * the detected encoding (Jackson's {@code CharConversionException}) are a parse error too.
     */
    static Object read(byte[] json) throws JsonProcessingException {
        try (JsonParser p = FACTORY.createParser(json)) {
            return document(p);
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new JsonParseException(null, "cannot decode the bytes: " + e.getMessage(), e);
        }
    }

    /** The value of a JSON document. */
    static Object read(String json) throws JsonProcessingException {
        try (JsonParser p = FACTORY.createParser(json)) {
            return document(p);
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);   // a String is read from memory: nothing else can fail
        }
    }

    /** {@code value} (as {@link #read} returns them) as compact JSON text. */
    static String write(Object value) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);   // writing memory does not fail
        }
        return out.toString();
    }

    private static void write(JsonGenerator g, Object value) throws IOException {
        if (value instanceof Map<?, ?> object) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : object.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (value instanceof List<?> array) {
            g.writeStartArray();
            for (Object element : array) {
                write(g, element);
            }
            g.writeEndArray();
        } else if (value instanceof String text) {
            g.writeString(text);
        } else if (value instanceof BigDecimal d) {
            g.writeNumber(d);
        } else if (value instanceof BigInteger i) {
            g.writeNumber(i);
        } else if (value instanceof Integer || value instanceof Long) {
            g.writeNumber(((Number) value).longValue());
        } else if (value instanceof Number n) {
            g.writeNumber(n.doubleValue());
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value == null) {
            g.writeNull();
        } else {
            g.writeString(value.toString());
        }
    }

    private static Object document(JsonParser p) throws IOException {
        JsonToken first = p.nextToken();
        if (first == null) {
            throw new JsonParseException(p, "No content to read: end of input before any value");
        }
        Object value = value(p, first);
        JsonToken trailing = p.nextToken();
        if (trailing != null) {
            throw new JsonParseException(p, "Trailing token (of type " + trailing + ") found after the value: not one JSON document");
        }
        return value;
    }

    private static Object value(JsonParser p, JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT: {
                Map<String, Object> object = new LinkedHashMap<>();
                for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                    object.put(name, value(p, p.nextToken()));
                }
                return object;
            }
            case START_ARRAY: {
                List<Object> array = new ArrayList<>();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    array.add(value(p, t));
                }
                return array;
            }
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return p.getNumberValue();
            case VALUE_NUMBER_FLOAT:
                return p.getDecimalValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                // The parser reports malformed input itself; anything else here is a token out of place.
                throw new JsonParseException(p, "Unexpected token (" + token + ")");
        }
    }
}
