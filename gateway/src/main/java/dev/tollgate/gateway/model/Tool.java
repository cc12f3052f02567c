package dev.tollgate.gateway.model;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;

/**
 * A function the model may call.
 *
 * @param parameters JSON Schema of the arguments (null: no parameters)
 */
public record Tool(String name, @Nullable String description, @Nullable JsonNode parameters) {
}
