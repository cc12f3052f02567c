package dev.tollgate.gateway.model;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;

/**
 * The shape the answer must take: plain text, any JSON object, or JSON following a schema.
 *
 * @param name   the schema's name (json_schema only)
 * @param schema the JSON Schema (json_schema only)
 */
public record ResponseFormat(Type type, @Nullable String name, @Nullable JsonNode schema, boolean strict) {

    public enum Type { TEXT, JSON_OBJECT, JSON_SCHEMA }
}
