package dev.tollgate.gateway.provider;

import dev.tollgate.gateway.GatewayTestSupport;
import dev.tollgate.gateway.model.ChatEvent;
import dev.tollgate.gateway.model.ChatRequest;
import dev.tollgate.gateway.model.ChatResponse;
import dev.tollgate.gateway.model.FinishReason;
import dev.tollgate.gateway.model.Message;
import dev.tollgate.gateway.model.ProviderException;
import dev.tollgate.gateway.model.Role;
import dev.tollgate.gateway.route.ModelRouter;
import dev.tollgate.gateway.route.Route;
import dev.tollgate.platform.simulator.Fault;
import dev.tollgate.platform.testing.RealServices;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One scenario suite run against every adapter, each talking to its simulator. */
@MicronautTest(startApplication = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProviderContractTest implements RealServices {

    @Inject
    ModelRouter router;

    @Override
    public Map<String, String> extraProperties() {
        return GatewayTestSupport.gatewayProperties();
    }

    private ChatRequest request(Route route, boolean stream) {
        return new ChatRequest(route.upstreamModel(), List.of(Message.text(Role.SYSTEM, "Be brief."),
                Message.text(Role.USER, "Write two sentences about tea.")), List.of(), null, 60, 0.5, null, List.of(), 1,
                null, null, stream, Map.of());
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt-4o-mini", "claude-3-5-haiku-latest", "gemini-2.0-flash", "azure-gpt"})
    void answersWithTextUsageAndFinishReason(String model) {
        Route route = router.resolve(model);
        ChatResponse response = Mono.from(route.provider().chat(request(route, false))).block();
        assertTrue(response.choices().get(0).message().text().length() > 0);
        assertTrue(response.usage().inputTokens() > 0);
        assertTrue(response.usage().outputTokens() > 0);
        assertTrue(response.choices().get(0).finishReason() != null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt-4o-mini", "claude-3-5-haiku-latest", "gemini-2.0-flash", "azure-gpt"})
    void streamsStartDeltasFinishAndUsage(String model) {
        Route route = router.resolve(model);
        List<ChatEvent> events = Flux.from(((StreamingChat) route.provider()).stream(request(route, true))).collectList().block();
        assertInstanceOf(ChatEvent.Start.class, events.get(0), events.toString());
        assertTrue(events.stream().anyMatch(e -> e instanceof ChatEvent.TextDelta), events.toString());
        assertTrue(events.stream().anyMatch(e -> e instanceof ChatEvent.Finish f && f.reason() != FinishReason.ERROR));
        ChatEvent last = events.get(events.size() - 1);
        assertInstanceOf(ChatEvent.Usage.class, last, events.toString());
        assertTrue(((ChatEvent.Usage) last).usage().outputTokens() > 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic", "gemini"})
    void upstreamErrorsAreClassified(String provider) {
        String model = switch (provider) {
            case "openai" -> "gpt-4o-mini";
            case "anthropic" -> "claude-3-5-haiku-latest";
            default -> "gemini-2.0-flash";
        };
        Route route = router.resolve(model);
        GatewayTestSupport.simulator().addFault(Fault.error(provider, 429).times(1));
        ProviderException e = assertThrows(ProviderException.class, () -> Mono.from(route.provider().chat(request(route, false))).block());
        assertEquals(ProviderException.Kind.RATE_LIMITED, e.kind());
        GatewayTestSupport.simulator().addFault(Fault.error(provider, 500).times(1));
        e = assertThrows(ProviderException.class, () -> Mono.from(route.provider().chat(request(route, false))).block());
        assertEquals(502, e.kind().status());
    }
}
