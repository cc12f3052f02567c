package dev.tollgate.gateway.api;

import dev.tollgate.gateway.GatewayErrors;
import dev.tollgate.gateway.model.ChatEvent;
import dev.tollgate.gateway.model.ChatResponse;
import dev.tollgate.gateway.model.Json;
import dev.tollgate.gateway.provider.openai.OpenAiCodec;
import dev.tollgate.platform.http.ApiException;
import io.micronaut.http.sse.Event;
import io.micronaut.json.tree.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** OpenAI Chat Completions answers; the usage chunk only when the caller asked for it. */
final class OpenAiFormat implements ChatFormat {

    private final RequestBodies bodies;
    private final boolean includeUsage;

    OpenAiFormat(RequestBodies bodies, boolean includeUsage) {
        this.bodies = bodies;
        this.includeUsage = includeUsage;
    }

    @Override
    public GatewayErrors.Shape shape() {
        return GatewayErrors.Shape.OPENAI;
    }

    @Override
    public String variant() {
        return includeUsage ? "openai+usage" : "openai";
    }

    @Override
    public String body(ChatResponse response, String model) {
        return bodies.write(OpenAiCodec.encodeResponse(response, model, System.currentTimeMillis() / 1000));
    }

    @Override
    public StreamWriter stream(String model) {
        OpenAiCodec.StreamEncoder encoder = new OpenAiCodec.StreamEncoder(model, System.currentTimeMillis() / 1000, includeUsage);
        return new StreamWriter() {
            @Override
            public List<Event<String>> encode(ChatEvent event) {
                List<JsonNode> chunks = encoder.encode(event);
                List<Event<String>> out = new ArrayList<>(chunks.size());
                chunks.forEach(c -> out.add(Event.of(bodies.write(c))));
                return out;
            }

            @Override
            public List<Event<String>> finish() {
                return List.of(Event.of("[DONE]"));
            }

            @Override
            public Event<String> error(ApiException error) {
                ApiException e = error;
                return Event.of(bodies.write(Json.obj().put("error", Json.obj().put("message", e.getMessage())
                        .put("type", e.body().error().type()).put("code", e.body().error().code()).build()).build()));
            }
        };
    }
}
