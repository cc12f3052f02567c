package dev.tollgate.gateway.api;

import dev.tollgate.gateway.GatewayErrors;
import dev.tollgate.gateway.model.ChatEvent;
import dev.tollgate.gateway.model.ChatResponse;
import dev.tollgate.gateway.model.Json;
import dev.tollgate.gateway.provider.anthropic.AnthropicCodec;
import dev.tollgate.platform.http.ApiException;
import io.micronaut.http.sse.Event;

import java.util.ArrayList;
import java.util.List;

/** Anthropic Messages answers and named stream events. */
final class AnthropicFormat implements ChatFormat {

    private final RequestBodies bodies;
    private final AnthropicCodec codec;

    AnthropicFormat(RequestBodies bodies, AnthropicCodec codec) {
        this.bodies = bodies;
        this.codec = codec;
    }

    @Override
    public GatewayErrors.Shape shape() {
        return GatewayErrors.Shape.ANTHROPIC;
    }

    @Override
    public String variant() {
        return "anthropic";
    }

    @Override
    public String body(ChatResponse response, String model) {
        return bodies.write(codec.encodeResponse(response, model));
    }

    @Override
    public StreamWriter stream(String model) {
        AnthropicCodec.StreamEncoder encoder = new AnthropicCodec.StreamEncoder(model);
        return new StreamWriter() {
            @Override
            public List<Event<String>> encode(ChatEvent event) {
                return events(encoder.encode(event));
            }

            @Override
            public List<Event<String>> finish() {
                return events(encoder.finish());
            }

            @Override
            public Event<String> error(ApiException error) {
                GatewayErrors.AnthropicError body = (GatewayErrors.AnthropicError) GatewayErrors.render(error, GatewayErrors.Shape.ANTHROPIC)
                        .body();
                return Event.of(bodies.write(Json.obj().put("type", "error").put("error", Json.obj()
                        .put("type", body.error().type()).put("message", body.error().message()).build()).build())).name("error");
            }
        };
    }

    private List<Event<String>> events(List<AnthropicCodec.Event> events) {
        List<Event<String>> out = new ArrayList<>(events.size());
        events.forEach(e -> out.add(Event.of(bodies.write(e.data())).name(e.name())));
        return out;
    }
}
