package dev.tollgate.gateway.meter;

import dev.tollgate.platform.usage.TokenUsage;
import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What is known about one request while it runs, for its usage event. Timings are taken with
 * {@link System#nanoTime()}; {@link #complete()} returns true exactly once, which is how the
 * gateway meters each request exactly once whichever way it ends (answer, error, cancel).
 */
public final class RequestTrace {

    private final String requestId;
    private final Instant startedAt = Instant.now();
    private final long startNanos = System.nanoTime();
    private final UUID tenantId;
    private final UUID projectId;
    private final UUID apiKeyId;
    private final String endpoint;
    private volatile boolean streamed;
    private final AtomicBoolean completed = new AtomicBoolean();
    private volatile String modelRequested;
    private volatile String modelServed;
    private volatile String provider;
    private volatile long upstreamStart;
    private volatile long upstreamEnd;
    private volatile long firstToken;
    private volatile int status = 200;
    private volatile String errorType;
    private volatile TokenUsage usage = TokenUsage.ZERO;
    private volatile String cacheStatus = "none";
    private volatile String attempts;

    public RequestTrace(String requestId, UUID tenantId, UUID projectId, UUID apiKeyId, String endpoint, boolean streamed) {
        this.requestId = requestId;
        this.tenantId = tenantId;
        this.projectId = projectId;
        this.apiKeyId = apiKeyId;
        this.endpoint = endpoint;
        this.streamed = streamed;
    }

    public String requestId() {
        return requestId;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public UUID tenantId() {
        return tenantId;
    }

    public UUID projectId() {
        return projectId;
    }

    public UUID apiKeyId() {
        return apiKeyId;
    }

    public String endpoint() {
        return endpoint;
    }

    public boolean streamed() {
        return streamed;
    }

    public void streamed(boolean value) {
        this.streamed = value;
    }

    public void modelRequested(String model) {
        this.modelRequested = model;
    }

    public void route(String provider, String upstreamModel) {
        this.provider = provider;
        if (modelServed == null) {
            this.modelServed = upstreamModel;
        }
    }

    /** The target that actually served the request (after retries or fallback), replacing the planned one. */
    public void served(String provider, String upstreamModel) {
        this.provider = provider;
        this.modelServed = upstreamModel;
    }

    /** {@code none}, {@code miss}, {@code hit}, {@code semantic_hit} or {@code bypass}. */
    public void cacheStatus(String status) {
        this.cacheStatus = status;
    }

    public String cacheStatus() {
        return cacheStatus;
    }

    /** Whether the answer came from a cache. */
    public boolean cacheHit() {
        return cacheStatus.endsWith("hit");
    }

    /** The routing attempts as a JSON array (target, outcome, status, latency), null when not routed by a route config. */
    public void attempts(@Nullable String json) {
        this.attempts = json;
    }

    @Nullable
    public String attempts() {
        return attempts;
    }

    public void modelServed(@Nullable String model) {
        if (model != null && !model.isBlank() && !model.equals("null")) {
            this.modelServed = model;
        }
    }

    public void upstreamStarted() {
        upstreamStart = System.nanoTime();
    }

    public void upstreamEnded() {
        if (upstreamStart != 0 && upstreamEnd == 0) {
            upstreamEnd = System.nanoTime();
        }
    }

    public void firstToken() {
        if (firstToken == 0) {
            firstToken = System.nanoTime();
        }
    }

    /**
     * Marks the request failed. Ignored once the trace was handed to the meter: the event is built
     * from it asynchronously, and a late signal (a cancel arriving after the answer was sent) must
     * not turn a served request into a failed one.
     */
    public void failed(int status, String errorType) {
        if (completed.get()) {
            return;
        }
        this.status = status;
        this.errorType = errorType;
    }

    public void usage(TokenUsage usage) {
        this.usage = usage;
    }

    public TokenUsage usage() {
        return usage;
    }

    /** True the first time only. */
    public boolean complete() {
        return completed.compareAndSet(false, true);
    }

    @Nullable
    public String modelRequestedValue() {
        return modelRequested;
    }

    @Nullable
    public String modelServedValue() {
        return modelServed;
    }

    @Nullable
    public String providerValue() {
        return provider;
    }

    public int status() {
        return status;
    }

    @Nullable
    public String errorType() {
        return errorType;
    }

    public long latencyMs() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    @Nullable
    public Long upstreamLatencyMs() {
        if (upstreamStart == 0) {
            return null;
        }
        long end = upstreamEnd != 0 ? upstreamEnd : System.nanoTime();
        return (end - upstreamStart) / 1_000_000;
    }

    @Nullable
    public Long ttftMs() {
        return firstToken == 0 ? null : (firstToken - startNanos) / 1_000_000;
    }
}
