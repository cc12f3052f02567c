package dev.tollgate.gateway.api;

import dev.tollgate.gateway.GatewayConfiguration;
import dev.tollgate.gateway.GatewayErrors;
import dev.tollgate.gateway.auth.Caller;
import dev.tollgate.gateway.cache.CacheConfiguration;
import dev.tollgate.gateway.cache.CacheKeys;
import dev.tollgate.gateway.cache.CachePolicy;
import dev.tollgate.gateway.cache.CachedAnswer;
import dev.tollgate.gateway.cache.ExactCache;
import dev.tollgate.gateway.cache.SemanticCache;
import dev.tollgate.gateway.guard.PiiGuard;
import dev.tollgate.gateway.guard.ProjectSettings;
import dev.tollgate.gateway.guard.ProjectSettingsStore;
import dev.tollgate.gateway.guard.RequestLog;
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
import dev.tollgate.gateway.model.FinishReason;
import dev.tollgate.gateway.model.Message;
import dev.tollgate.gateway.model.Role;
import dev.tollgate.gateway.model.ToolCall;
import dev.tollgate.gateway.provider.Embeddings;
import dev.tollgate.gateway.provider.StreamingChat;
import dev.tollgate.gateway.provider.openai.OpenAiCodec;
import dev.tollgate.gateway.route.Attempt;
import dev.tollgate.gateway.route.ModelRouter;
import dev.tollgate.gateway.route.Route;
import dev.tollgate.gateway.route.RouteConfig;
import dev.tollgate.gateway.route.RouteResolver;
import dev.tollgate.gateway.route.TargetRunner;
import dev.tollgate.platform.http.ApiException;
import dev.tollgate.platform.price.Quote;
import dev.tollgate.platform.usage.TokenUsage;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
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
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import java.util.concurrent.ExecutorService;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/**
 * Runs one request after authentication, whatever its inbound format: finds its route
 * ({@code x-tollgate-config}, the key's default route, or plain model routing), applies the
 * project's PII mode, checks the model scopes of every target, admits against the limits, answers
 * from the cache when it can, else calls the targets (retries, fallback, load balancing, circuit
 * breakers: {@link TargetRunner}) JSON or streaming, meters exactly once (attempts, cache status,
 * money saved) and settles the limits, stores fresh answers in the cache, writes the opt-in
 * request log, and writes the {@code x-request-id}, {@code x-tollgate-*} and {@code x-ratelimit-*}
 * headers. A stream is answered only once its first upstream event arrived, so an upstream that
 * fails before sending anything still gets a proper HTTP error status, or the next target.
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
    private final RouteResolver routes;
    private final TargetRunner runner;
    private final ProjectSettingsStore projects;
    private final RequestLog requestLog;
    private final CacheKeys cacheKeys;
    private final ExactCache exact;
    private final SemanticCache semantic;
    private final CacheConfiguration cacheConfiguration;
    private final RequestBodies bodies;

    public ChatRelay(ModelRouter router, RateLimiter limiter, LimitPlanner planner, UsageMeter meter, TokenCounter tokens,
                     GatewayConfiguration configuration, RouteResolver routes, TargetRunner runner, ProjectSettingsStore projects,
                     RequestLog requestLog, CacheKeys cacheKeys, ExactCache exact, SemanticCache semantic,
                     CacheConfiguration cacheConfiguration, RequestBodies bodies,
                     @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
        this.blocking = Schedulers.fromExecutorService(blocking);
        this.router = router;
        this.limiter = limiter;
        this.planner = planner;
        this.meter = meter;
        this.tokens = tokens;
        this.configuration = configuration;
        this.routes = routes;
        this.runner = runner;
        this.projects = projects;
        this.requestLog = requestLog;
        this.cacheKeys = cacheKeys;
        this.exact = exact;
        this.semantic = semantic;
        this.cacheConfiguration = cacheConfiguration;
        this.bodies = bodies;
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

    /** What one chat request carries through its stages, for metering, caching and the request log. */
    private static final class Exchange {
        final RequestTrace trace;
        final Caller caller;
        final ChatFormat format;
        final HangUp hangUp;
        volatile Admission admission;
        volatile ProjectSettings settings;
        volatile ChatRequest request;
        volatile String answer;

        Exchange(HangUp hangUp, Caller caller, ChatFormat format) {
            this.trace = hangUp.trace();
            this.hangUp = hangUp;
            this.caller = caller;
            this.format = format;
        }
    }

    /** The cache side of one request: its policy, exact key and, in semantic mode, the question being embedded. */
    private record CacheContext(CachePolicy policy, String exactKey, @Nullable SemanticCache.Probe probe) {
    }

    /** An answer found in a cache. */
    private record Found(CachedAnswer answer, String status, @Nullable Double similarity) {
    }

    Mono<MutableHttpResponse<?>> chat(HangUp hangUp, Caller caller, ChatRequest request, ChatFormat format, HttpHeaders headers) {
        Exchange x = new Exchange(hangUp, caller, format);
        RequestTrace trace = x.trace;
        return Mono.defer(() -> {
                    trace.modelRequested(request.model());
                    trace.streamed(request.stream());
                    return routes.resolve(caller.tenantId(), caller.projectId(), caller.grant().routeName(), headers.get(RouteResolver.HEADER))
                            .zipWith(projects.settings(caller.projectId()))
                            .flatMap(t -> start(x, request, t.getT1().orElse(null), t.getT2(), headers));
                })
                .onErrorResume(e -> {
                    MutableHttpResponse<?> response = fail(trace, e, format.shape(), x.admission);
                    log(x);
                    return Mono.<MutableHttpResponse<?>>just(response);
                });
    }

    private Mono<MutableHttpResponse<?>> start(Exchange x, ChatRequest request, @Nullable RouteResolver.Resolved resolved,
                                               ProjectSettings settings, HttpHeaders headers) {
        x.settings = settings;
        ChatRequest guarded = PiiGuard.apply(request, settings.pii());
        x.request = guarded;
        RoutePlan<ChatRequest> plan = RoutePlan.of(resolved, guarded, x.caller, router);
        RoutePlan.Leg<ChatRequest> first = plan.first();
        x.trace.route(first.route().providerName(), first.route().upstreamModel());
        CachePolicy policy = CachePolicy.of(plan.cache(), headers, cacheConfiguration.maxTtl());
        long prompt = tokens.prompt(first.request());
        int maxOut = first.request().maxTokens() != null ? first.request().maxTokens() : configuration.defaultMaxTokens();
        return admit(x.trace, x.caller, first.route(), prompt, (long) maxOut * guarded.n())
                .flatMap(admission -> {
                    x.admission = admission;
                    if (policy == null) {
                        return call(x, plan, prompt, null);
                    }
                    String key = cacheKeys.exact(x.caller.tenantId(), x.format.variant() + (guarded.stream() ? "/sse" : "/json"),
                            plan.route().config(), guarded);
                    return lookup(x, plan, policy, key).flatMap(found -> found.found() != null
                            ? Mono.just(replay(x, found.found()))
                            : call(x, plan, prompt, found.context()));
                });
    }

    private record Lookup(@Nullable Found found, CacheContext context) {
    }

    private Mono<Lookup> lookup(Exchange x, RoutePlan<ChatRequest> plan, CachePolicy policy, String key) {
        UUID tenant = x.caller.tenantId();
        ChatRequest request = x.request;
        // the question is embedded while Redis answers the exact lookup: a miss then waits for the
        // embedding's remainder only; an exact hit gives the embedding up
        SemanticCache.Probe p = probe(tenant, plan, policy, request);
        if (!policy.read()) {
            x.trace.cacheStatus(policy.missStatus());
            return Mono.just(new Lookup(null, new CacheContext(policy, key, p)));
        }
        long started = System.nanoTime();
        return exact.get(tenant, key).flatMap(hit -> {
            if (hit.isPresent()) {
                if (p != null) {
                    p.cancel();
                }
                return Mono.just(new Lookup(new Found(hit.get(), "hit", null), new CacheContext(policy, key, null)));
            }
            x.trace.cacheStatus("miss");
            if (p == null) {
                return Mono.just(new Lookup(null, new CacheContext(policy, key, null)));
            }
            CacheContext context = new CacheContext(policy, key, p);
            return semantic.lookup(p, policy.settings().threshold(), started).map(h -> new Lookup(
                    h.map(s -> new Found(s.answer(), "semantic_hit", s.similarity())).orElse(null), context));
        });
    }

    /** Starts embedding the question when the semantic cache may read or store it, else null. */
    @Nullable
    private SemanticCache.Probe probe(UUID tenant, RoutePlan<ChatRequest> plan, CachePolicy policy, ChatRequest request) {
        if (!policy.semantic() || !policy.write() && !policy.read()) {
            return null;
        }
        String question = CacheKeys.question(request, policy.settings().multiTurn());
        return question == null ? null
                : semantic.probe(tenant, cacheKeys.semanticBucket(tenant, plan.route().config(), request), question);
    }

    /** Answers from the cache: metered with the replayed answer's usage, costing nothing. */
    private MutableHttpResponse<?> replay(Exchange x, Found found) {
        RequestTrace trace = x.trace;
        CachedAnswer answer = found.answer();
        trace.cacheStatus(found.status());
        trace.served(answer.provider(), answer.model());
        trace.usage(answer.usage());
        MutableHttpResponse<?> http;
        String model = trace.modelServedValue();
        if (answer.kind() == CachedAnswer.Kind.JSON) {
            http = HttpResponse.ok(answer.body()).contentType(MediaType.APPLICATION_JSON_TYPE);
            x.answer = answer.body();
        } else if (answer.kind() == CachedAnswer.Kind.SSE) {
            List<Event<String>> events = new ArrayList<>(answer.events().size());
            for (CachedAnswer.Frame f : answer.events()) {
                Event<String> e = Event.of(f.data());
                events.add(f.event() == null ? e : e.name(f.event()));
            }
            http = HttpResponse.ok(Flux.fromIterable(events)).contentType(MediaType.TEXT_EVENT_STREAM_TYPE);
        } else {
            ChatResponse response = OpenAiCodec.decodeResponse(bodies.parse(answer.body().getBytes(StandardCharsets.UTF_8)));
            x.answer = text(response);
            if (x.request.stream()) {
                http = HttpResponse.ok(Flux.fromIterable(replayEvents(x.format.stream(model), response, answer.usage())))
                        .contentType(MediaType.TEXT_EVENT_STREAM_TYPE);
            } else {
                http = HttpResponse.ok(x.format.body(response, model)).contentType(MediaType.APPLICATION_JSON_TYPE);
            }
        }
        headers(http, trace, x.admission, model);
        http.header(CachePolicy.STATUS_HEADER, "hit");
        if (found.similarity() != null) {
            http.header("x-tollgate-cache-similarity", String.format(java.util.Locale.ROOT, "%.4f", found.similarity()));
        }
        finish(x);
        return http;
    }

    /** A complete answer as the events of a stream. */
    private static List<Event<String>> replayEvents(ChatFormat.StreamWriter writer, ChatResponse response, TokenUsage usage) {
        List<Event<String>> out = new ArrayList<>(writer.encode(new ChatEvent.Start(response.id(), response.model())));
        for (Choice c : response.choices()) {
            String text = c.message().text();
            if (!text.isEmpty()) {
                out.addAll(writer.encode(new ChatEvent.TextDelta(c.index(), text)));
            }
            int i = 0;
            for (ToolCall call : c.message().toolCalls()) {
                out.addAll(writer.encode(new ChatEvent.ToolCallDelta(c.index(), i++, call.id(), call.name(), call.arguments())));
            }
            out.addAll(writer.encode(new ChatEvent.Finish(c.index(), c.finishReason() == null ? FinishReason.STOP : c.finishReason())));
        }
        out.addAll(writer.encode(new ChatEvent.Usage(usage)));
        out.addAll(writer.finish());
        return out;
    }

    /**
     * Calls the plan's targets. Without a route there is one target and no breaker or retry, as
     * plain model routing always behaved; with a route, the {@link TargetRunner} tries them.
     */
    private <R, T> Mono<TargetRunner.Success<T>> run(RequestTrace trace, RoutePlan<R> plan, Function<RoutePlan.Leg<R>, Mono<T>> call) {
        trace.upstreamStarted();
        if (plan.route() == null) {
            return Mono.defer(() -> call.apply(plan.first())).map(v -> new TargetRunner.Success<>(0, v));
        }
        Queue<Attempt> attempts = new ConcurrentLinkedQueue<>();
        List<TargetRunner.Step<T>> steps = new ArrayList<>();
        for (RoutePlan.Leg<R> leg : plan.legs()) {
            steps.add(new TargetRunner.Step<>(leg.id(), leg.route().providerName(), leg.timeout(), () -> call.apply(leg)));
        }
        RouteConfig config = plan.route().config();
        return runner.run(steps, runner.retryPolicy(config.retry()), TargetRunner.fallbackRule(config.strategy().onStatusCodes()), attempts)
                .doOnSuccess(s -> trace.attempts(attemptsJson(attempts)))
                .doOnError(e -> trace.attempts(attemptsJson(attempts)));
    }

    private Mono<MutableHttpResponse<?>> call(Exchange x, RoutePlan<ChatRequest> plan, long prompt, @Nullable CacheContext cache) {
        return x.request.stream() ? stream(x, plan, prompt, cache) : complete(x, plan, prompt, cache);
    }

    private Mono<MutableHttpResponse<?>> complete(Exchange x, RoutePlan<ChatRequest> plan, long prompt, @Nullable CacheContext cache) {
        RequestTrace trace = x.trace;
        return run(x.trace, plan, leg -> Mono.from(leg.route().provider().chat(leg.request())))
                .<MutableHttpResponse<?>>map(success -> {
                    RoutePlan.Leg<ChatRequest> leg = plan.legs().get(success.step());
                    ChatResponse response = success.value();
                    trace.served(leg.route().providerName(), leg.route().upstreamModel());
                    trace.upstreamEnded();
                    trace.modelServed(response.model());
                    TokenUsage usage = response.usage() != null ? response.usage() : countUsage(leg.request(), prompt, response);
                    trace.usage(usage);
                    String model = trace.modelServedValue();
                    String body = x.format.body(response, model);
                    MutableHttpResponse<?> http = HttpResponse.ok(body).contentType(MediaType.APPLICATION_JSON_TYPE);
                    headers(http, trace, x.admission, model);
                    x.answer = text(response);
                    if (cache != null) {
                        http.header(CachePolicy.STATUS_HEADER, cache.policy().missStatus());
                        store(x, cache, new CachedAnswer(CachedAnswer.Kind.JSON, body, List.of(), leg.route().providerName(), model, usage),
                                response, usage);
                    }
                    finish(x);
                    return (MutableHttpResponse<?>) http;
                })
                .doOnCancel(() -> {
                    trace.failed(499, "client_disconnected");
                    finish(x);
                });
    }

    private Mono<MutableHttpResponse<?>> stream(Exchange x, RoutePlan<ChatRequest> plan, long prompt, @Nullable CacheContext cache) {
        RequestTrace trace = x.trace;
        StreamTally tally = new StreamTally();
        return run(x.trace, plan, leg -> leg.route().provider() instanceof StreamingChat streaming
                        ? FirstEvent.await(Flux.from(streaming.stream(leg.request())))
                        : Mono.<Flux<ChatEvent>>error(ApiException.badRequest("provider " + leg.route().providerName() + " cannot stream", "stream")))
                .<MutableHttpResponse<?>>map(success -> {
                    RoutePlan.Leg<ChatRequest> leg = plan.legs().get(success.step());
                    trace.served(leg.route().providerName(), leg.route().upstreamModel());
                    StreamPump pump = new StreamPump(x, x.format.stream(leg.request().model()), tally, leg, prompt, cache);
                    // the first event is delivered synchronously on subscribe, so the served model is known below
                    success.value().subscribe(pump);
                    x.hangUp.then(pump::clientGone);
                    String model = tally.model != null ? tally.model : leg.request().model();
                    trace.modelServed(model);
                    MutableHttpResponse<?> http = HttpResponse.ok(pump.body()).contentType(MediaType.TEXT_EVENT_STREAM_TYPE);
                    headers(http, trace, x.admission, trace.modelServedValue());
                    if (cache != null) {
                        http.header(CachePolicy.STATUS_HEADER, cache.policy().missStatus());
                    }
                    return (MutableHttpResponse<?>) http;
                });
    }

    /** Stores a fresh answer: as sent in the exact cache, as a neutral answer in the semantic cache. */
    private void store(Exchange x, CacheContext cache, CachedAnswer exactAnswer, @Nullable ChatResponse neutral, TokenUsage usage) {
        if (!cache.policy().write()) {
            return;
        }
        exact.put(x.caller.tenantId(), cache.exactKey(), exactAnswer, cache.policy().ttl());
        if (cache.probe() != null && neutral != null) {
            String body = bodies.write(OpenAiCodec.encodeResponse(neutral, exactAnswer.model(), System.currentTimeMillis() / 1000));
            semantic.store(cache.probe(), new CachedAnswer(CachedAnswer.Kind.NEUTRAL, body, List.of(), exactAnswer.provider(),
                    exactAnswer.model(), usage), cache.policy().ttl());
        }
    }

    private static String text(ChatResponse response) {
        StringBuilder b = new StringBuilder();
        for (Choice c : response.choices()) {
            b.append(c.message().text());
        }
        return b.toString();
    }

    private static String attemptsJson(Queue<Attempt> attempts) {
        StringBuilder b = new StringBuilder("[");
        for (Attempt a : attempts) {
            if (b.length() > 1) {
                b.append(',');
            }
            b.append("{\"target\":").append(quote(a.target())).append(",\"outcome\":").append(quote(a.outcome()))
                    .append(",\"status\":").append(a.status()).append(",\"latency_ms\":").append(a.latencyMs());
            if (a.error() != null) {
                b.append(",\"error\":").append(quote(a.error()));
            }
            b.append('}');
        }
        return b.append(']').toString();
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    /**
     * Reads an upstream stream to its end and forwards it to the client while the client listens.
     * When the client goes away, the upstream is still read for up to
     * {@link GatewayConfiguration#disconnectDrain()}, so that the usage the provider reports (and
     * bills) is what gets metered; after that, or with a zero drain, the upstream is cancelled and
     * what arrived is counted with the tokenizer. A stream that ended normally with the client
     * still listening is stored in the caches when its route caches.
     */
    private final class StreamPump extends BaseSubscriber<ChatEvent> {

        private final Exchange x;
        private final RequestTrace trace;
        private final ChatFormat.StreamWriter writer;
        private final StreamTally tally;
        private final RoutePlan.Leg<ChatRequest> leg;
        private final long prompt;
        private final CacheContext cache;
        private final List<CachedAnswer.Frame> frames;
        private final SseChunks out = new SseChunks();
        private volatile boolean clientGone;
        private volatile boolean failed;
        private volatile Disposable drainTimer;

        StreamPump(Exchange x, ChatFormat.StreamWriter writer, StreamTally tally, RoutePlan.Leg<ChatRequest> leg, long prompt,
                   @Nullable CacheContext cache) {
            this.x = x;
            this.trace = x.trace;
            this.writer = writer;
            this.tally = tally;
            this.leg = leg;
            this.prompt = prompt;
            this.cache = cache;
            this.frames = cache != null && cache.policy().write() ? new ArrayList<>() : null;
        }

        Flux<byte[]> body() {
            return out.flux().doOnCancel(this::clientGone);
        }

        private synchronized void clientGone() {
            if (clientGone) {
                return;
            }
            clientGone = true;
            trace.failed(trace.status(), "client_disconnected");
            if (configuration.disconnectDrain().isZero()) {
                dispose();
            } else {
                drainTimer = Mono.delay(configuration.disconnectDrain()).subscribe(t -> dispose());
            }
        }

        private void emit(Event<String> e) {
            if (frames != null) {
                synchronized (frames) {
                    frames.add(new CachedAnswer.Frame(e.getName(), e.getData()));
                }
            }
            out.add(e);
        }

        @Override
        protected void hookOnNext(ChatEvent event) {
            tally.see(event, trace);
            if (!clientGone) {
                for (Event<String> e : writer.encode(event)) {
                    emit(e);
                }
            }
        }

        @Override
        protected void hookOnComplete() {
            if (!clientGone) {
                writer.finish().forEach(this::emit);
                out.complete();
            }
        }

        @Override
        protected void hookOnError(Throwable error) {
            failed = true;
            ApiException api = GatewayErrors.toApiException(error);
            trace.failed(api.status().getCode(), errorType(api));
            if (!clientGone) {
                out.add(writer.error(api));
                out.complete();
            }
        }

        @Override
        protected void hookFinally(SignalType type) {
            Disposable timer = drainTimer;
            if (timer != null) {
                timer.dispose();
            }
            trace.upstreamEnded();
            TokenUsage usage = tally.usage != null ? tally.usage : countUsage(leg.request(), prompt, tally);
            trace.usage(usage);
            String text;
            synchronized (tally.text) {
                text = tally.text.toString();
            }
            x.answer = text;
            if (type == SignalType.ON_COMPLETE && !failed && !clientGone && frames != null) {
                List<CachedAnswer.Frame> copy;
                synchronized (frames) {
                    copy = List.copyOf(frames);
                }
                String model = trace.modelServedValue();
                ChatResponse neutral = tally.toolCalls ? null : new ChatResponse(tally.id == null ? trace.requestId() : tally.id,
                        model, List.of(new Choice(0, Message.text(Role.ASSISTANT, text), tally.finish)), usage);
                store(x, cache, new CachedAnswer(CachedAnswer.Kind.SSE, null, copy, leg.route().providerName(), model, usage),
                        tally.choices > 1 ? null : neutral, usage);
            }
            finish(x);
        }
    }

    /** What a stream told us so far: served model, usage, and the generated text for counting. */
    private static final class StreamTally {
        volatile String id;
        volatile String model;
        volatile TokenUsage usage;
        volatile FinishReason finish = FinishReason.STOP;
        volatile boolean toolCalls;
        volatile int choices = 1;
        final StringBuilder text = new StringBuilder();

        void see(ChatEvent event, RequestTrace trace) {
            if (event instanceof ChatEvent.Start s) {
                id = s.id();
                model = s.model();
            } else if (event instanceof ChatEvent.Finish f) {
                finish = f.reason();
                choices = Math.max(choices, f.choice() + 1);
            } else if (event instanceof ChatEvent.TextDelta t) {
                trace.firstToken();
                synchronized (text) {
                    text.append(t.text());
                }
            } else if (event instanceof ChatEvent.ToolCallDelta t) {
                toolCalls = true;
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

    /**
     * Runs an embeddings request through the same routing as chat (the {@code x-tollgate-config}
     * header or the key's route: retries, fallback, load balancing, circuit breakers), over the
     * targets that compute embeddings. Embeddings are not cached.
     */
    Mono<MutableHttpResponse<?>> embed(HangUp hangUp, Caller caller, EmbeddingRequest request, HttpHeaders headers) {
        RequestTrace trace = hangUp.trace();
        Admission[] admitted = {null};
        return Mono.defer(() -> {
                    trace.modelRequested(request.model());
                    return routes.resolve(caller.tenantId(), caller.projectId(), caller.grant().routeName(), headers.get(RouteResolver.HEADER));
                })
                .flatMap(resolved -> {
                    RoutePlan<EmbeddingRequest> plan = RoutePlan.embeddings(resolved.orElse(null), request, caller, router);
                    Route first = plan.first().route();
                    trace.route(first.providerName(), first.upstreamModel());
                    long prompt = 0;
                    for (String input : request.input()) {
                        prompt += tokens.count(input, first.upstreamModel());
                    }
                    long estimate = prompt;
                    return admit(trace, caller, first, prompt, 0).flatMap(admission -> {
                        admitted[0] = admission;
                        return run(trace, plan, leg -> Mono.from(((Embeddings) leg.route().provider()).embed(leg.request())))
                                .<MutableHttpResponse<?>>map(success -> {
                                    Route served = plan.legs().get(success.step()).route();
                                    trace.served(served.providerName(), served.upstreamModel());
                                    return respondEmbeddings(trace, admission, success.value(), estimate);
                                })
                                .doOnCancel(() -> {
                                    trace.failed(499, "client_disconnected");
                                    finish(trace, admission);
                                });
                    });
                })
                .onErrorResume(e -> Mono.<MutableHttpResponse<?>>just(fail(trace, e, GatewayErrors.Shape.OPENAI, admitted[0])));
    }

    private MutableHttpResponse<?> respondEmbeddings(RequestTrace trace, Admission admission, EmbeddingResponse response,
                                                     long estimate) {
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
                        planner.plan(caller.grant(), prompt + maxOut, estimate)))
                .flatMap(admission -> admission.admitted() ? Mono.just(admission) : Mono.error(new Refused(admission)));
    }

    private void finish(RequestTrace trace, Admission admission) {
        meter.record(trace).thenAccept(recorded -> recorded.ifPresent(event -> {
            if (admission != null) {
                long billed = event.billedUsd() == null ? 0 : LimitPlanner.toNanos(event.billedUsd());
                // a cache hit used no upstream tokens: it gives its whole reservation back
                limiter.settle(admission, trace.cacheHit() ? 0 : event.usage().totalTokens(), billed);
            }
        }));
    }

    /** Meters a chat request and writes its request-log row when its project opted in. */
    private void finish(Exchange x) {
        finish(x.trace, x.admission);
        log(x);
    }

    private void log(Exchange x) {
        ProjectSettings settings = x.settings;
        if (settings != null && settings.requestLogging() && x.request != null) {
            RequestTrace t = x.trace;
            requestLog.record(t.requestId(), t.startedAt(), t.tenantId(), t.projectId(), t.apiKeyId(), t.modelServedValue(),
                    t.status(), x.request, x.answer);
        }
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

    /**
     * Applies {@code f} with errors answered in {@code shape} and metered, watching the client's
     * connection for a hang-up until the answer is handed to the server.
     */
    Mono<MutableHttpResponse<?>> guarded(HttpRequest<?> request, RequestTrace trace, GatewayErrors.Shape shape,
                                         Function<HangUp, Mono<MutableHttpResponse<?>>> f) {
        HangUp hangUp = HangUp.watch(request, trace);
        return Mono.defer(() -> f.apply(hangUp))
                .onErrorResume(e -> Mono.<MutableHttpResponse<?>>just(fail(trace, e, shape, null)))
                .doFinally(signal -> hangUp.release());
    }
}
