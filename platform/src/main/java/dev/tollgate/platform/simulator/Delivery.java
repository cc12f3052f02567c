package dev.tollgate.platform.simulator;

/**
 * What one request delivered, recorded once when it ends.
 *
 * @param api          {@code chat} or {@code embeddings}
 * @param inputTokens  whole prompt, including cache reads and writes
 * @param outputTokens delivered output including reasoning
 */
record Delivery(String provider,
                String api,
                String model,
                boolean streamed,
                boolean error,
                long inputTokens,
                long cacheReadTokens,
                long cacheWrite5mTokens,
                long cacheWrite1hTokens,
                long outputTokens,
                long reasoningTokens) {

    static final String CHAT = "chat";
    static final String EMBEDDINGS = "embeddings";

    static Delivery failed(String provider, String api, String model, boolean streamed) {
        return new Delivery(provider, api, model, streamed, true, 0, 0, 0, 0, 0, 0);
    }

    boolean carriesUsage() {
        return inputTokens > 0 || outputTokens > 0;
    }
}
