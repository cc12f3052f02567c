package dev.tollgate.gateway.model;

import io.micronaut.core.annotation.Nullable;

/**
 * Whether and which tool the model must call.
 *
 * @param name the function to call when {@code mode} is {@link Mode#FUNCTION}
 */
public record ToolChoice(Mode mode, @Nullable String name) {

    public enum Mode { AUTO, NONE, REQUIRED, FUNCTION }

    public static final ToolChoice AUTO = new ToolChoice(Mode.AUTO, null);
}
