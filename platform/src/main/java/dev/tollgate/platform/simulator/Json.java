package dev.tollgate.platform.simulator;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.serde.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON through micronaut-serde without a bean context. Provider wire shapes are built as ordered
 * maps: each provider has dozens of small, partly nullable shapes that only ever get written once.
 */
final class Json {

    private static final ObjectMapper MAPPER = ObjectMapper.getDefault();
    private static final Argument<Map<String, Object>> OBJECT = Argument.mapOf(String.class, Object.class);

    private Json() {
    }

    /** Parses a JSON object; throws {@link Malformed} when the bytes are not one. */
    static Map<String, Object> readObject(byte[] body) {
        if (body.length == 0) {
            throw new Malformed("request body is empty");
        }
        try {
            Map<String, Object> value = MAPPER.readValue(body, OBJECT);
            if (value == null) {
                throw new Malformed("request body must be a JSON object");
            }
            return value;
        } catch (IOException | RuntimeException e) {
            if (e instanceof Malformed malformed) {
                throw malformed;
            }
            throw new Malformed("request body is not valid JSON");
        }
    }

    static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(Object value) {
        return new String(write(value), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** An ordered object from alternating keys and values; null values are kept (written as JSON null). */
    static Map<String, Object> obj(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    @Nullable
    static String string(Map<String, Object> map, String key) {
        return map.get(key) instanceof String s ? s : null;
    }

    @SuppressWarnings("unchecked")
    @Nullable
    static Map<String, Object> object(@Nullable Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    }

    @Nullable
    static Map<String, Object> object(Map<String, Object> map, String key) {
        return object(map.get(key));
    }

    static List<Object> list(Map<String, Object> map, String key) {
        return map.get(key) instanceof List<?> l ? new ArrayList<>(l) : List.of();
    }

    /** An integer field, null when absent; {@link Invalid} when present but not an integer. */
    @Nullable
    static Integer integer(Map<String, Object> map, String key) {
        Object value = map.get(key);
        if (value == null) {
            return null;
        }
        if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
            && Math.abs(n.doubleValue()) <= Integer.MAX_VALUE) {
            return n.intValue();
        }
        throw new Invalid(key, "'" + key + "' must be an integer");
    }

    static boolean bool(Map<String, Object> map, String key) {
        return Boolean.TRUE.equals(map.get(key));
    }

    /** All string values under {@code value}, in document order: the text a tokenizer should count. */
    static void collectText(@Nullable Object value, StringBuilder into) {
        if (value instanceof String s) {
            if (!into.isEmpty()) {
                into.append('\n');
            }
            into.append(s);
        } else if (value instanceof Map<?, ?> m) {
            m.values().forEach(v -> collectText(v, into));
        } else if (value instanceof List<?> l) {
            l.forEach(v -> collectText(v, into));
        }
    }

    static String collectText(@Nullable Object value) {
        StringBuilder text = new StringBuilder();
        collectText(value, text);
        return text.toString();
    }

    /** The request body was not a JSON object. */
    static final class Malformed extends RuntimeException {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    /** A field of the request body is invalid. */
    static final class Invalid extends RuntimeException {
        private final String param;

        Invalid(@Nullable String param, String message) {
            super(message, null, false, false);
            this.param = param;
        }

        @Nullable
        String param() {
            return param;
        }
    }
}
