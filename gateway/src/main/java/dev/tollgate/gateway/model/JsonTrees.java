package dev.tollgate.gateway.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.micronaut.json.tree.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes Micronaut {@link JsonNode} trees straight on Jackson's streaming parser and
 * generator: the same JSON as the {@code JsonMapper} writes and the same nodes as it reads
 * (numbers as Jackson's best type: int, long, BigInteger, double), without its per-call
 * deserializer lookup and decoder layers. The wire codecs read and write every request, answer
 * and stream chunk through here, so this is on the hot path of every call.
 */
public final class JsonTrees {

    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonTrees() {
    }

    /** Parses one JSON value; throws on malformed JSON (including an empty body). */
    public static JsonNode parse(byte[] json) throws IOException {
        try (JsonParser parser = FACTORY.createParser(json)) {
            if (parser.nextToken() == null) {
                throw new JsonParseException(parser, "no JSON value");
            }
            return read(parser);
        }
    }

    /** Parses one JSON value from text. */
    public static JsonNode parse(String json) throws IOException {
        try (JsonParser parser = FACTORY.createParser(json)) {
            if (parser.nextToken() == null) {
                throw new JsonParseException(parser, "no JSON value");
            }
            return read(parser);
        }
    }

    /** The tree as UTF-8 JSON. */
    public static byte[] writeBytes(JsonNode node) {
        try (ByteArrayBuilder out = new ByteArrayBuilder(256)) {
            try (JsonGenerator generator = FACTORY.createGenerator(out)) {
                write(generator, node);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode JSON", e);
        }
    }

    /** The tree as JSON text (written as UTF-8 first, as the mapper does: same escapes). */
    public static String write(JsonNode node) {
        return new String(writeBytes(node), StandardCharsets.UTF_8);
    }

    /** Reads the value at the parser's current token. */
    private static JsonNode read(JsonParser p) throws IOException {
        JsonToken token = p.currentToken();
        switch (token) {
            case START_OBJECT -> {
                Map<String, JsonNode> fields = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    fields.put(name, read(p));
                }
                return JsonNode.createObjectNode(fields);
            }
            case START_ARRAY -> {
                List<JsonNode> values = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    values.add(read(p));
                }
                return JsonNode.createArrayNode(values);
            }
            case VALUE_STRING -> {
                return JsonNode.createStringNode(p.getText());
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return number(p.getNumberValue());
            }
            case VALUE_TRUE -> {
                return JsonNode.createBooleanNode(true);
            }
            case VALUE_FALSE -> {
                return JsonNode.createBooleanNode(false);
            }
            case VALUE_NULL -> {
                return JsonNode.nullNode();
            }
            default -> throw new JsonParseException(p, "unexpected token " + token);
        }
    }

    private static JsonNode number(Number n) {
        if (n instanceof Integer i) {
            return JsonNode.createNumberNode(i.intValue());
        }
        if (n instanceof Long l) {
            return JsonNode.createNumberNode(l.longValue());
        }
        if (n instanceof BigInteger b) {
            return JsonNode.createNumberNode(b);
        }
        if (n instanceof BigDecimal d) {
            return JsonNode.createNumberNode(d);
        }
        if (n instanceof Float f) {
            return JsonNode.createNumberNode(f.floatValue());
        }
        return JsonNode.createNumberNode(n.doubleValue());
    }

    private static void write(JsonGenerator g, JsonNode node) throws IOException {
        if (node.isObject()) {
            g.writeStartObject();
            for (Map.Entry<String, JsonNode> e : node.entries()) {
                g.writeFieldName(e.getKey());
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (node.isArray()) {
            g.writeStartArray();
            for (JsonNode v : node.values()) {
                write(g, v);
            }
            g.writeEndArray();
        } else if (node.isString()) {
            g.writeString(node.getStringValue());
        } else if (node.isNumber()) {
            Number n = node.getNumberValue();
            if (n instanceof Integer i) {
                g.writeNumber(i.intValue());
            } else if (n instanceof Long l) {
                g.writeNumber(l.longValue());
            } else if (n instanceof BigInteger b) {
                g.writeNumber(b);
            } else if (n instanceof BigDecimal d) {
                g.writeNumber(d);
            } else if (n instanceof Float f) {
                g.writeNumber(f.floatValue());
            } else {
                g.writeNumber(n.doubleValue());
            }
        } else if (node.isBoolean()) {
            g.writeBoolean(node.getBooleanValue());
        } else {
            g.writeNull();
        }
    }
}
