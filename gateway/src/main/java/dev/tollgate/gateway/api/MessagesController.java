package dev.tollgate.gateway.api;

import dev.tollgate.gateway.GatewayConfiguration;
import dev.tollgate.gateway.GatewayErrors;
import dev.tollgate.gateway.auth.Caller;
import dev.tollgate.gateway.meter.RequestTrace;
import dev.tollgate.gateway.provider.anthropic.AnthropicCodec;
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

/**
 * {@code POST /v1/messages}: Anthropic's Messages API, JSON or SSE, to any provider. Errors use
 * Anthropic's error shape so that Anthropic SDKs raise their typed exceptions.
 */
@Controller("/v1")
@Secured(SecurityRule.IS_ANONYMOUS)
@Requires(property = "tollgate.gateway.enabled", notEquals = "false")
public class MessagesController {

    private final ChatRelay relay;
    private final RequestBodies bodies;
    private final GatewayConfiguration configuration;
    private final AnthropicCodec codec;

    public MessagesController(ChatRelay relay, RequestBodies bodies, GatewayConfiguration configuration) {
        this.relay = relay;
        this.bodies = bodies;
        this.configuration = configuration;
        this.codec = new AnthropicCodec(bodies.mapper());
    }

    @Post(uri = "/messages", consumes = MediaType.ALL, produces = {MediaType.APPLICATION_JSON, MediaType.TEXT_EVENT_STREAM})
    public Mono<MutableHttpResponse<?>> create(HttpRequest<?> request, @Body @Nullable byte[] body) {
        Caller caller = Caller.of(request);
        RequestTrace trace = relay.trace(caller, "messages");
        return relay.guarded(request, trace, GatewayErrors.Shape.ANTHROPIC, hangUp -> relay.chat(hangUp, caller,
                codec.decodeRequest(bodies.parse(body), configuration.maxTokensLimit()), new AnthropicFormat(bodies, codec), request.getHeaders()));
    }

    @Error(exception = ContentLengthExceededException.class)
    public MutableHttpResponse<?> tooLarge(ContentLengthExceededException e) {
        return GatewayErrors.render(new ApiException(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "invalid_request_error",
                "the request body is too large", null, "request_too_large", null, null), GatewayErrors.Shape.ANTHROPIC);
    }

    @Error
    public MutableHttpResponse<?> failed(Throwable e) {
        return GatewayErrors.render(e, GatewayErrors.Shape.ANTHROPIC);
    }
}
