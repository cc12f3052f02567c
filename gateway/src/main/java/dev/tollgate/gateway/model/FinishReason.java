package dev.tollgate.gateway.model;

/** Why the model stopped. Each wire codec maps its own names to these and back. */
public enum FinishReason {
    STOP, LENGTH, TOOL_CALLS, CONTENT_FILTER, ERROR
}
