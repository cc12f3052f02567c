package dev.tollgate.platform.simulator;

import io.micronaut.core.annotation.Nullable;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** A server-sent event stream; every event is flushed as its own chunk, events are spaced by the chunk delay. */
final class EventStream {

    private final OutputStream out;
    private final long chunkDelayMs;
    private boolean first = true;

    EventStream(OutputStream out, long chunkDelayMs) {
        this.out = out;
        this.chunkDelayMs = chunkDelayMs;
    }

    /** Sends {@code event: name} (when given) and {@code data: json}. */
    void event(@Nullable String name, Object data) throws IOException {
        raw((name == null ? "" : "event: " + name + "\n") + "data: " + Json.text(data) + "\n\n");
    }

    /** Sends a {@code data:} line with literal content, e.g. {@code [DONE]}. */
    void data(String content) throws IOException {
        raw("data: " + content + "\n\n");
    }

    /** Sends text as is (for JSON-array streams and malformed events). */
    void raw(String text) throws IOException {
        if (!first && chunkDelayMs > 0) {
            Simulation.sleep(chunkDelayMs);
        }
        first = false;
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Ends the stream normally. */
    void end() throws IOException {
        out.close();
    }

    /** Drops the connection after what was sent so far. */
    void drop() throws IOException {
        out.flush();
        HttpCall.letSentBytesArrive();
        throw new HttpCall.Dropped();
    }
}
