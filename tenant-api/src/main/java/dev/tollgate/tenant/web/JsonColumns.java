package dev.tollgate.tenant.web;

import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Reads and writes the jsonb columns (limits, scopes, metadata) the tenant API stores. */
@Singleton
public class JsonColumns {

    private final JsonMapper json;

    public JsonColumns(JsonMapper json) {
        this.json = json;
    }

    /** JSON text of {@code value}; {@code {}} for null. */
    public String write(Object value) {
        try {
            return value == null ? "{}" : json.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The column's value, or {@code empty} for a null, blank or {@code {}} column. */
    public <T> T read(String text, Argument<T> type, T empty) {
        if (text == null || text.isBlank() || text.equals("{}")) {
            return empty;
        }
        try {
            return json.readValue(text, type);
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt json column", e);
        }
    }
}
