package dev.tollgate.gateway.api;

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

/** {@code POST /v1/embeddings}: OpenAI's Embeddings API, routed like chat (see {@link ChatRelay#embed}). */
@Controller("/v1")
@Secured(SecurityRule.IS_ANONYMOUS)
@Requires(property = "tollgate.gateway.enabled", notEquals = "false")
public class EmbeddingsController {

    private final ChatRelay relay;
    private final RequestBodies bodies;

    public EmbeddingsController(ChatRelay relay, RequestBodies bodies) {
        this.relay = relay;
        this.bodies = bodies;
    }

    @Post(uri = "/embeddings", consumes = MediaType.ALL)
    public Mono<MutableHttpResponse<?>> embed(HttpRequest<?> request, @Body @Nullable byte[] body) {
        Caller caller = Caller.of(request);
        RequestTrace trace = relay.trace(caller, "embeddings");
        return relay.guarded(request, trace, GatewayErrors.Shape.OPENAI,
                hangUp -> relay.embed(hangUp, caller, OpenAiCodec.decodeEmbeddingRequest(bodies.parse(body)), request.getHeaders()));
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
