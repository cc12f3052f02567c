package dev.tollgate.gateway.cache;

import dev.tollgate.platform.usage.TokenUsage;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * An answer as the cache keeps it. The exact cache stores what the client received, byte for
 * byte: a JSON body, or the server-sent events of a stream. The semantic cache stores the
 * neutral answer (as an OpenAI chat completion) and renders it in whatever format and mode the
 * hitting request asked for.
 *
 * @param kind     {@link Kind#JSON}, {@link Kind#SSE} or {@link Kind#NEUTRAL}
 * @param body     the JSON body (JSON) or the OpenAI chat completion (NEUTRAL)
 * @param events   the stream's events (SSE)
 * @param provider the provider target that produced the answer
 * @param model    the model that served it
 * @param usage    what producing it used: the basis of the money a hit saves
 */
@Serdeable
public record CachedAnswer(Kind kind, @Nullable String body, List<Frame> events, String provider, String model, TokenUsage usage) {

    public CachedAnswer {
        events = events == null ? List.of() : List.copyOf(events);
    }

    /** What is stored. */
    public enum Kind { JSON, SSE, NEUTRAL }

    /** One server-sent event: optional name and data. */
    @Serdeable
    public record Frame(@Nullable String event, String data) {
    }

    /** Approximate size in bytes, to keep oversized answers out of the cache. */
    public long size() {
        long n = body == null ? 0 : body.length();
        for (Frame f : events) {
            n += f.data().length() + 16;
        }
        return n;
    }
}
