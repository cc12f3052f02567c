package dev.tollgate.platform.simulator;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConcurrencyTest {

    @Test
    void twoHundredParallelRequestsAreAllAnswered() throws Exception {
        SimulatorSettings settings = SimulatorSettings.defaults().withLatency(20, 10).withChunkDelayMs(5);
        ExecutorService clientThreads = Executors.newFixedThreadPool(8);
        try (UpstreamSimulator simulator = UpstreamSimulator.start(settings)) {
            HttpClient http = HttpClient.newBuilder().executor(clientThreads).connectTimeout(Duration.ofSeconds(5)).build();
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            long started = System.nanoTime();
            for (int i = 0; i < 200; i++) {
                calls.add(http.sendAsync(request(simulator, i), HttpResponse.BodyHandlers.ofString()));
            }
            int streamed = 0;
            for (int i = 0; i < calls.size(); i++) {
                HttpResponse<String> response = calls.get(i).get();
                assertEquals(200, response.statusCode(), response.body());
                if (i % 2 == 1) {
                    streamed++;
                    assertTrue(response.body().contains(i % 4 == 1 ? "data: [DONE]" : "event: message_stop"), response.body());
                }
            }
            long elapsedMs = (System.nanoTime() - started) / 1_000_000;
            assertTrue(elapsedMs < 15_000, "streams are served in parallel, took " + elapsedMs + " ms");
            Served served = simulator.served();
            assertEquals(200, served.total("openai").requests() + served.total("anthropic").requests());
            assertEquals(streamed, served.total("openai").streamedRequests() + served.total("anthropic").streamedRequests());
            assertEquals(0, served.total("openai").errors() + served.total("anthropic").errors());
        } finally {
            clientThreads.shutdownNow();
        }
    }

    private static HttpRequest request(UpstreamSimulator simulator, int i) {
        boolean stream = i % 2 == 1;
        boolean openAi = i % 4 < 2;
        String text = "Parallel request number " + i;
        HttpRequest.Builder builder = HttpRequest.newBuilder().timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json");
        if (openAi) {
            return builder.uri(URI.create(simulator.baseUrl() + "/openai/v1/chat/completions"))
                .header("Authorization", "Bearer k")
                .POST(HttpRequest.BodyPublishers.ofString(Json.text(Json.obj("model", "gpt-4o-mini", "stream", stream,
                    "messages", List.of(Json.obj("role", "user", "content", text))))))
                .build();
        }
        return builder.uri(URI.create(simulator.baseUrl() + "/anthropic/v1/messages"))
            .header("x-api-key", "k").header("anthropic-version", "2023-06-01")
            .POST(HttpRequest.BodyPublishers.ofString(Json.text(Json.obj("model", "claude-haiku-4-5", "stream", stream,
                "max_tokens", 200, "messages", List.of(Json.obj("role", "user", "content", text))))))
            .build();
    }
}
