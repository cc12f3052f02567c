package dev.tollgate.gateway.guard;

import dev.tollgate.gateway.model.Json;
import dev.tollgate.platform.http.ApiException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;

import java.util.Locale;

/**
 * A project's guardrail settings, read from {@code project.settings}:
 * {@code {"pii": "off" | "redact" | "block", "request_logging": true | false}} (defaults: off, false).
 */
public record ProjectSettings(PiiMode pii, boolean requestLogging) {

    public static final ProjectSettings DEFAULT = new ProjectSettings(PiiMode.OFF, false);

    /** What the gateway does with personal data in a prompt. */
    public enum PiiMode {
        /** Nothing. */
        OFF,
        /** Replace it with placeholders before the upstream call. */
        REDACT,
        /** Refuse the request (400, naming the categories found). */
        BLOCK;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Reads stored settings leniently: a value this gateway does not know counts as its default. */
    public static ProjectSettings read(@Nullable JsonNode settings) {
        PiiMode mode = PiiMode.OFF;
        String pii = Json.text(settings, "pii");
        if (pii != null) {
            try {
                mode = PiiMode.valueOf(pii.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException ignored) {
                // written by a newer version or by hand: keep the safe default for this gateway
            }
        }
        JsonNode logging = Json.field(settings, "request_logging");
        return new ProjectSettings(mode, logging != null && logging.isBoolean() && logging.getBooleanValue());
    }

    /** Validates settings sent to the API; 400 naming the field. */
    public static ProjectSettings parse(@Nullable JsonNode body, ProjectSettings current) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("the settings must be a JSON object", null);
        }
        PiiMode mode = current.pii();
        boolean logging = current.requestLogging();
        for (var e : body.entries()) {
            switch (e.getKey()) {
                case "pii" -> {
                    JsonNode v = e.getValue();
                    if (!v.isString()) {
                        throw ApiException.badRequest("pii must be \"off\", \"redact\" or \"block\"", "pii");
                    }
                    try {
                        mode = PiiMode.valueOf(v.getStringValue().trim().toUpperCase(Locale.ROOT));
                    } catch (IllegalArgumentException ex) {
                        throw ApiException.badRequest("pii must be \"off\", \"redact\" or \"block\"", "pii");
                    }
                }
                case "request_logging" -> {
                    if (!e.getValue().isBoolean()) {
                        throw ApiException.badRequest("request_logging must be true or false", "request_logging");
                    }
                    logging = e.getValue().getBooleanValue();
                }
                default -> throw ApiException.badRequest("unknown setting " + e.getKey() + " (allowed: pii, request_logging)", e.getKey());
            }
        }
        return new ProjectSettings(mode, logging);
    }
}
