package dev.tollgate.gateway.model;

/** Who speaks in a conversation. OpenAI's {@code developer} role is read as {@link #SYSTEM}. */
public enum Role {
    SYSTEM, USER, ASSISTANT, TOOL
}
