package dev.tollgate.gateway.api;

import dev.tollgate.gateway.GatewayConfiguration;
import dev.tollgate.gateway.GatewayErrors;
import dev.tollgate.gateway.auth.Caller;
import dev.tollgate.gateway.limit.Admission;
import dev.tollgate.gateway.limit.LimitPlanner;
import dev.tollgate.gateway.limit.RateLimiter;
import dev.tollgate.gateway.meter.RequestTrace;
import dev.tollgate.gateway.meter.TokenCounter;
import dev.tollgate.gateway.meter.UsageMeter;
import dev.tollgate.gateway.model.ChatEvent;
import dev.tollgate.gateway.model.ChatRequest;
import dev.tollgate.gateway.model.ChatResponse;
import dev.tollgate.gateway.model.Choice;
import dev.tollgate.gateway.model.EmbeddingRequest;
import dev.tollgate.gateway.model.EmbeddingResponse;
import dev.tollgate.gateway.model.ToolCall;
import dev.tollgate.gateway.provider.Embeddings;
import dev.tollgate.gateway.provider.StreamingChat;
import dev.tollgate.gateway.provider.openai.OpenAiCodec;
import dev.tollgate.gateway.route.ModelRouter;
import dev.tollgate.gateway.route.Route;
import dev.tollgate.platform.http.ApiException;
import dev.tollgate.platform.price.Quote;
import dev.tollgate.platform.usage.TokenUsage;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.sse.Event;
import jakarta.inject.Singleton;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import java.util.concurrent.ExecutorService;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * Runs one request after authentication, whatever its inbound format: checks the model scope,
 * routes, admits against the limits, calls the provider (JSON or streaming), meters exactly once
 * and settles the limits, and writes the {@code x-request-id}, {@code x-tollgate-*} and
 * {@code x-ratelimit-*} headers. A stream is answered only once its first upstream event arrived,
 * so an upstream that fails before sending anything still gets a proper HTTP error status.
 */
@Singleton
public class ChatRelay {

    private final ModelRouter router;
    private final RateLimiter limiter;
    private final LimitPlanner planner;
    private final UsageMeter meter;
    private final TokenCounter tokens;
    private final GatewayConfiguration configuration;
    private final Scheduler blocking;

    public ChatRelay(ModelRouter router, RateLimiter limiter, LimitPlanner planner, UsageMeter meter, TokenCounter tokens,
                     GatewayConfiguration configuration, @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
        this.blocking = Schedulers.fromExecutorService(blocking);
        this.router = router;
        this.limiter = limiter;
        this.planner = planner;
        this.meter = meter;
        this.tokens = tokens;
        this.configuration = configuration;
    }

    /** A refused admission, carrying the state for the headers. */
    private static final class Refused extends RuntimeException {
        final Admission admission;

        Refused(Admission admission) {
            super(null, null, false, false);
            this.admission = admission;
        }
    }

    /** A new trace for an authenticated request. */
    public RequestTrace trace(Caller caller, String endpoint) {
        return new RequestTrace("req_" + UUID.randomUUID().toString().replace("-", ""), caller.tenantId(), caller.projectId(),
                caller.keyId(), endpoint, false);
    }

    /** The error answer of a request that failed before or instead of the upstream call; meters it. */
    public MutableHttpResponse<?> fail(RequestTrace trace, Throwable error, GatewayErrors.Shape shape, Admission admission) {
        Throwable cause = error instanceof Refused r ? r.admission.rejection() : error;
        ApiException api = GatewayErrors.toApiException(cause);
        trace.failed(api.status().getCode(), errorType(api));
        finish(trace, admission);
        MutableHttpResponse<?> response = GatewayErrors.render(api, shape);
        headers(response, trace, error instanceof Refused r ? r.admission : admission, null);
        return response;
    }

    // ------------------------------------------------------------------ chat

    Mono<MutableHttpResponse<?>> chat(RequestTrace trace, Caller caller, ChatRequest request, ChatFormat format) {
        Admission[] admitted = {null};
        return Mono.defer(() -> {
                    trace.modelRequested(request.model());
                    trace.streamed(request.stream());
                    caller.requireModel(request.model());
                    Route route = router.resolve(request.model());
                    trace.route(route.providerName(), route.upstreamModel());
                    ChatRequest upstream = request.withModel(route.upstreamModel());
                    long prompt = tokens.prompt(upstream);
                    int maxOut = request.maxTokens() != null ? request.maxTokens() : configuration.defaultMaxTokens();
                    return admit(trace, caller, route, prompt, (long) maxOut * request.n())
                            .flatMap(admission -> {
                                admitted[0] = admission;
                                return request.stream()
                                        ? stream(trace, route, upstream, prompt, format, admission)
                                        : complete(trace, route, upstream, prompt, format, admission);
                            });
                })
                .onErrorResume(e -> Mono.<MutableHttpResponse<?>>just(fail(trace, e, format.shape(), admitted[0])));
    }

    private Mono<MutableHttpResponse<?>> complete(RequestTrace trace, Route route, ChatRequest request, long prompt,
                                                  ChatFormat format, Admission admission) {
        trace.upstreamStarted();
        return Mono.from(route.provider().chat(request))
                .<MutableHttpResponse<?>>map(response -> {
                    trace.upstreamEnded();
                    trace.modelServed(response.model());
                    trace.usage(response.usage() != null ? response.usage() : countUsage(request, prompt, response));
                    String model = trace.modelServedValue();
                    MutableHttpResponse<?> http = HttpResponse.ok(format.body(response, model)).contentType(MediaType.APPLICATION_JSON_TYPE);
                    headers(http, trace, admission, model);
                    finish(trace, admission);
                    return (MutableHttpResponse<?>) http;
                })
                .doOnCancel(() -> {
                    trace.failed(499, "client_disconnected");
                    finish(trace, admission);
                });
    }

    private Mono<MutableHttpResponse<?>> stream(RequestTrace trace, Route route, ChatRequest request, long prompt,
                                                ChatFormat format, Admission admission) {
        if (!(route.provider() instanceof StreamingChat streaming)) {
            return Mono.<MutableHttpResponse<?>>error(ApiException.badRequest("provider " + route.providerName() + " cannot stream", "stream"));
        }
        StreamTally tally = new StreamTally();
        trace.upstreamStarted();
        return FirstEvent.await(Flux.from(streaming.stream(request)))
                .<MutableHttpResponse<?>>map(events -> {
                    StreamPump pump = new StreamPump(trace, format.stream(request.model()), tally, request, prompt, admission);
                    // the first event is delivered synchronously on subscribe, so the served model is known below
                    events.subscribe(pump);
                    String model = tally.model != null ? tally.model : request.model();
                    trace.modelServed(model);
                    MutableHttpResponse<?> http = HttpResponse.ok(pump.body()).contentType(MediaType.TEXT_EVENT_STREAM_TYPE);
                    headers(http, trace, admission, trace.modelServedValue());
                    return (MutableHttpResponse<?>) http;
                });
    }

    /**
     * Reads an upstream stream to its end and forwards it to the client while the client listens.
     * When the client goes away, the upstream is still read for up to
     * {@link GatewayConfiguration#disconnectDrain()}, so that the usage the provider reports (and
     * bills) is what gets metered; after that, or with a zero drain, the upstream is cancelled and
     * what arrived is counted with the tokenizer.
     */
    private final class StreamPump extends BaseSubscriber<ChatEvent> {

        private final RequestTrace trace;
        private final ChatFormat.StreamWriter writer;
        private final StreamTally tally;
        private final ChatRequest request;
        private final long prompt;
        private final Admission admission;
        private final Sinks.Many<Event<String>> out = Sinks.many().unicast().onBackpressureBuffer();
        private volatile boolean clientGone;
        private volatile Disposable drainTimer;

        StreamPump(RequestTrace trace, ChatFormat.StreamWriter writer, StreamTally tally, ChatRequest request, long prompt,
                   Admission admission) {
            this.trace = trace;
            this.writer = writer;
            this.tally = tally;
            this.request = request;
            this.prompt = prompt;
            this.admission = admission;
        }

        Flux<Event<String>> body() {
            return out.asFlux().doOnCancel(this::clientGone);
        }

        private void clientGone() {
            clientGone = true;
            trace.failed(trace.status(), "client_disconnected");
            if (configuration.disconnectDrain().isZero()) {
                dispose();
            } else {
                drainTimer = Mono.delay(configuration.disconnectDrain()).subscribe(t -> dispose());
            }
        }

        @Override
        protected void hookOnNext(ChatEvent event) {
            tally.see(event, trace);
            if (!clientGone) {
                for (Event<String> e : writer.encode(event)) {
                    out.tryEmitNext(e);
                }
            }
        }

        @Override
        protected void hookOnComplete() {
            if (!clientGone) {
                writer.finish().forEach(out::tryEmitNext);
                out.tryEmitComplete();
            }
        }

        @Override
        protected void hookOnError(Throwable error) {
            ApiException api = GatewayErrors.toApiException(error);
            trace.failed(api.status().getCode(), errorType(api));
            if (!clientGone) {
                out.tryEmitNext(writer.error(api));
                out.tryEmitComplete();
            }
        }

        @Override
        protected void hookFinally(SignalType type) {
            Disposable timer = drainTimer;
            if (timer != null) {
                timer.dispose();
            }
            trace.upstreamEnded();
            trace.usage(tally.usage != null ? tally.usage : countUsage(request, prompt, tally));
            finish(trace, admission);
        }
    }

    /** What a stream told us so far: served model, usage, and the generated text for counting. */
    private static final class StreamTally {
        volatile String model;
        volatile TokenUsage usage;
        final StringBuilder text = new StringBuilder();

        void see(ChatEvent event, RequestTrace trace) {
            if (event instanceof ChatEvent.Start s) {
                model = s.model();
            } else if (event instanceof ChatEvent.TextDelta t) {
                trace.firstToken();
                synchronized (text) {
                    text.append(t.text());
                }
            } else if (event instanceof ChatEvent.ToolCallDelta t) {
                trace.firstToken();
                synchronized (text) {
                    text.append(t.name() == null ? "" : t.name()).append(t.argumentsDelta());
                }
            } else if (event instanceof ChatEvent.Usage u) {
                usage = u.usage();
            }
        }
    }

    private TokenUsage countUsage(ChatRequest request, long prompt, StreamTally tally) {
        String text;
        synchronized (tally.text) {
            text = tally.text.toString();
        }
        return TokenUsage.of(prompt, tokens.count(text, request.model()));
    }

    private TokenUsage countUsage(ChatRequest request, long prompt, ChatResponse response) {
        long out = 0;
        for (Choice c : response.choices()) {
            out += tokens.count(c.message().text(), request.model());
            for (ToolCall call : c.message().toolCalls()) {
                out += tokens.count(call.name() + call.arguments(), request.model());
            }
        }
        return TokenUsage.of(prompt, out);
    }

    // ------------------------------------------------------------------ embeddings

    Mono<MutableHttpResponse<?>> embed(RequestTrace trace, Caller caller, EmbeddingRequest request, RequestBodies bodies) {
        Admission[] admitted = {null};
        return Mono.defer(() -> {
                    trace.modelRequested(request.model());
                    caller.requireModel(request.model());
                    Route route = router.resolve(request.model());
                    trace.route(route.providerName(), route.upstreamModel());
                    if (!(route.provider() instanceof Embeddings embeddings)) {
                        throw ApiException.badRequest("model '" + request.model() + "' (provider " + route.providerName()
                                + ") does not compute embeddings", "model");
                    }
                    long prompt = 0;
                    for (String input : request.input()) {
                        prompt += tokens.count(input, route.upstreamModel());
                    }
                    long estimate = prompt;
                    return admit(trace, caller, route, prompt, 0).flatMap(admission -> {
                        admitted[0] = admission;
                        trace.upstreamStarted();
                        return Mono.from(embeddings.embed(request.withModel(route.upstreamModel())))
                                .<MutableHttpResponse<?>>map(response -> respondEmbeddings(trace, admission, response, estimate, bodies))
                                .doOnCancel(() -> {
                                    trace.failed(499, "client_disconnected");
                                    finish(trace, admission);
                                });
                    });
                })
                .onErrorResume(e -> Mono.<MutableHttpResponse<?>>just(fail(trace, e, GatewayErrors.Shape.OPENAI, admitted[0])));
    }

    private MutableHttpResponse<?> respondEmbeddings(RequestTrace trace, Admission admission, EmbeddingResponse response,
                                                     long estimate, RequestBodies bodies) {
        trace.upstreamEnded();
        trace.modelServed(response.model());
        trace.usage(response.usage().inputTokens() > 0 ? response.usage() : TokenUsage.of(estimate, 0));
        String model = trace.modelServedValue();
        MutableHttpResponse<?> http = HttpResponse.ok(bodies.write(OpenAiCodec.encodeEmbeddingResponse(response, model)))
                .contentType(MediaType.APPLICATION_JSON_TYPE);
        headers(http, trace, admission, model);
        finish(trace, admission);
        return http;
    }

    // ------------------------------------------------------------------ shared

    private Mono<Admission> admit(RequestTrace trace, Caller caller, Route route, long prompt, long maxOut) {
        Mono<Long> nanoUsd = Mono.just(-1L);
        if (LimitPlanner.hasBudget(caller.grant()) && meter.canPrice()) {
            // the price book may read the database: estimate the cost off the event loop
            nanoUsd = Mono.fromCallable(() -> {
                Quote quote = meter.quote(route.providerName(), route.upstreamModel(), TokenUsage.of(prompt, maxOut),
                        trace.startedAt(), caller.tenantId());
                return quote != null && quote.billedUsd() != null ? LimitPlanner.toNanos(quote.billedUsd()) : 0L;
            }).subscribeOn(blocking);
        }
        return nanoUsd.flatMap(estimate -> limiter.admit(trace.requestId(),
                        planner.plan(caller.grant(), prompt + maxOut, estimate, Instant.now())))
                .flatMap(admission -> admission.admitted() ? Mono.just(admission) : Mono.error(new Refused(admission)));
    }

    private void finish(RequestTrace trace, Admission admission) {
        meter.record(trace).thenAccept(recorded -> recorded.ifPresent(event -> {
            if (admission != null) {
                long billed = event.billedUsd() == null ? 0 : LimitPlanner.toNanos(event.billedUsd());
                limiter.settle(admission, event.usage().totalTokens(), billed);
            }
        }));
    }

    private static void headers(MutableHttpResponse<?> response, RequestTrace trace, Admission admission, String model) {
        response.header("x-request-id", trace.requestId());
        if (trace.providerValue() != null) {
            response.header("x-tollgate-provider", trace.providerValue());
        }
        String served = model != null ? model : trace.modelServedValue();
        if (served != null) {
            response.header("x-tollgate-model", served);
        }
        if (admission != null) {
            for (Map.Entry<String, String> h : admission.headers().entrySet()) {
                response.header(h.getKey(), h.getValue());
            }
        }
    }

    private static String errorType(ApiException e) {
        String code = e.body().error().code();
        return code != null ? code : e.body().error().type();
    }

    /** Applies {@code f} with errors answered in {@code shape} and metered. */
    Mono<MutableHttpResponse<?>> guarded(RequestTrace trace, GatewayErrors.Shape shape,
                                         Function<RequestTrace, Mono<MutableHttpResponse<?>>> f) {
        return Mono.defer(() -> f.apply(trace)).onErrorResume(e -> Mono.<MutableHttpResponse<?>>just(fail(trace, e, shape, null)));
    }
}
