package dev.tollgate.gateway.model;

/**
 * A function call made by the model.
 *
 * @param arguments the arguments as JSON text, exactly as the model produced them
 */
public record ToolCall(String id, String name, String arguments) {
}
