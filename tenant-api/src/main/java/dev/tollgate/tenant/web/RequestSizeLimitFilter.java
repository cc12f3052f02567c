package dev.tollgate.tenant.web;

import dev.tollgate.platform.http.ErrorBody;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.ServerHttpRequest;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.body.ByteBody;
import io.micronaut.http.body.CloseableAvailableByteBody;
import io.micronaut.http.filter.FilterContinuation;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import java.util.concurrent.CompletableFuture;

/**
 * Refuses request bodies larger than {@code tollgate.tenant-api.max-body-bytes} (1 MiB) on the
 * management and operator APIs with 413, whatever the server-wide
 * {@code micronaut.server.max-request-size} (which the gateway's larger bodies set). A declared
 * {@code Content-Length} is checked before the body is read; a chunked body is measured as it
 * is buffered.
 */
@ServerFilter(patterns = {"/api/**", "/admin/**"})
@Requires(property = "tollgate.tenant-api.enabled", notEquals = "false")
public class RequestSizeLimitFilter {

    private final long maxBytes;

    public RequestSizeLimitFilter(TenantApiConfiguration configuration) {
        this.maxBytes = configuration.maxBodyBytes();
    }

    @RequestFilter
    public Publisher<MutableHttpResponse<?>> limit(HttpRequest<?> request, FilterContinuation<Publisher<MutableHttpResponse<?>>> chain) {
        long declared = request.getContentLength();
        if (declared > maxBytes) {
            return Mono.just(tooLarge());
        }
        if (declared >= 0 || !(request instanceof ServerHttpRequest<?> server) || !request.getMethod().permitsRequestBody()) {
            return chain.proceed();
        }
        // no declared length (chunked): measure a copy of the body as it arrives; the route still reads the original
        CompletableFuture<CloseableAvailableByteBody> buffered =
                server.byteBody().split(ByteBody.SplitBackpressureMode.FASTEST).buffer().thenApply(body -> body);
        return Mono.fromFuture(buffered).flatMap(body -> {
            long length = body.length();
            body.close();
            return length > maxBytes ? Mono.just(tooLarge()) : Mono.from(chain.proceed());
        });
    }

    private MutableHttpResponse<?> tooLarge() {
        return HttpResponse.status(HttpStatus.REQUEST_ENTITY_TOO_LARGE).body(ErrorBody.of(
                "The request body is larger than the " + maxBytes + " bytes this API accepts",
                "invalid_request_error", null, "request_too_large"));
    }
}
