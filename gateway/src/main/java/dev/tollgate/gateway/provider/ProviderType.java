package dev.tollgate.gateway.provider;

import java.util.List;
import java.util.Locale;

/**
 * The wire formats Tollgate speaks upstream, with the defaults of their canonical target (the
 * one whose name is the type's name): base URL and the models it lists unless configured
 * otherwise (what it serves beyond them comes from the price table).
 */
public enum ProviderType {
    OPENAI("https://api.openai.com/v1",
            List.of("gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "o3-mini", "o4-mini",
                    "text-embedding-3-small", "text-embedding-3-large")),
    ANTHROPIC("https://api.anthropic.com/v1",
            List.of("claude-sonnet-4-0", "claude-opus-4-0", "claude-3-7-sonnet-latest", "claude-3-5-haiku-latest")),
    GEMINI("https://generativelanguage.googleapis.com/v1beta",
            List.of("gemini-2.5-pro", "gemini-2.5-flash", "gemini-2.0-flash")),
    AZURE(null, List.of());

    private final String defaultBaseUrl;
    private final List<String> defaultModels;

    ProviderType(String defaultBaseUrl, List<String> defaultModels) {
        this.defaultBaseUrl = defaultBaseUrl;
        this.defaultModels = defaultModels;
    }

    public String defaultBaseUrl() {
        return defaultBaseUrl;
    }

    public List<String> defaultModels() {
        return defaultModels;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code openai}, {@code anthropic}, {@code gemini}, {@code azure} (and {@code openai-compatible}). */
    public static ProviderType parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("openai-compatible") || v.equals("openai_compatible")) {
            return OPENAI;
        }
        for (ProviderType t : values()) {
            if (t.wireName().equals(v)) {
                return t;
            }
        }
        throw new IllegalStateException("unknown provider type '" + value + "' (openai, anthropic, gemini, azure)");
    }
}
