package dev.tollgate.gateway.route;

/** Stored route bodies for the route tests. */
final class RouteBodies {

    static final String ANTHROPIC_ONLY = "{\"targets\":[{\"provider\":\"anthropic\",\"model\":\"claude-3-5-haiku-latest\"}]}";
    static final String GEMINI_ONLY = "{\"targets\":[{\"provider\":\"gemini\",\"model\":\"gemini-2.0-flash\"}]}";

    private RouteBodies() {
    }
}
