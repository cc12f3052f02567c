package dev.tollgate.gateway.api;

import dev.tollgate.gateway.GatewayConfiguration;
import dev.tollgate.gateway.GatewayErrors;
import dev.tollgate.gateway.auth.Caller;
import dev.tollgate.gateway.meter.RequestTrace;
import dev.tollgate.gateway.provider.openai.OpenAiCodec;
import dev.tollgate.platform.http.ApiException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.exceptions.ContentLengthExceededException;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import reactor.core.publisher.Mono;

/** {@code POST /v1/chat/completions}: OpenAI's Chat Completions API, JSON or SSE, to any provider. */
@Controller("/v1")
@Secured(SecurityRule.IS_ANONYMOUS)
@Requires(property = "tollgate.gateway.enabled", notEquals = "false")
public class ChatCompletionsController {

    private final ChatRelay relay;
    private final RequestBodies bodies;
    private final GatewayConfiguration configuration;

    public ChatCompletionsController(ChatRelay relay, RequestBodies bodies, GatewayConfiguration configuration) {
        this.relay = relay;
        this.bodies = bodies;
        this.configuration = configuration;
    }

    @Post(uri = "/chat/completions", consumes = MediaType.ALL, produces = {MediaType.APPLICATION_JSON, MediaType.TEXT_EVENT_STREAM})
    public Mono<MutableHttpResponse<?>> complete(HttpRequest<?> request, @Body @Nullable byte[] body) {
        Caller caller = Caller.of(request);
        RequestTrace trace = relay.trace(caller, "chat");
        return relay.guarded(request, trace, GatewayErrors.Shape.OPENAI, hangUp -> {
            OpenAiCodec.Inbound inbound = OpenAiCodec.decodeRequest(bodies.parse(body), configuration.maxTokensLimit());
            return relay.chat(hangUp, caller, inbound.request(), new OpenAiFormat(bodies, inbound.includeUsage()), request.getHeaders());
        });
    }

    @Error(exception = ContentLengthExceededException.class)
    public MutableHttpResponse<?> tooLarge(ContentLengthExceededException e) {
        return GatewayErrors.render(new ApiException(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "invalid_request_error",
                "the request body is too large", null, "request_too_large", null, null), GatewayErrors.Shape.OPENAI);
    }

    @Error
    public MutableHttpResponse<?> failed(Throwable e) {
        return GatewayErrors.render(e, GatewayErrors.Shape.OPENAI);
    }
}
