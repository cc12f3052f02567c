package dev.tollgate.gateway.api;

import io.micronaut.http.sse.Event;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The body of a relayed event stream, framed as server-sent events here and handed to the server
 * in as few chunks as possible: the events that arrive together (one read of the upstream
 * connection) leave as one chunk. Fed from another connection than the client's, Micronaut writes
 * and flushes each element of a streamed body on its own — one system call and TCP segment per
 * event, and one read by the client: 25 read/write system calls for a short answer of 24 events,
 * and a fifth of the gateway's CPU per stream (bench/CPU.md). A chunk is handed on by a task
 * queued on the event loop that delivers the events, so it runs once that loop has passed on
 * everything it read; events that arrive off an event loop leave at once. The framing is
 * Micronaut's own for {@link Event}s: an {@code event:} line when named, one {@code data:} line per
 * line of data, a blank line.
 */
final class SseChunks {

    private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);

    private final Sinks.Many<byte[]> out = Sinks.many().unicast().onBackpressureBuffer();
    // guarded by this; null when nothing waits to be handed on
    private ByteArrayOutputStream pending;
    private boolean completed;

    /** The chunks, for the response body; subscribed once. */
    Flux<byte[]> flux() {
        return out.asFlux();
    }

    /** Adds an event; it leaves with the others that arrive before the current event loop task ends. */
    void add(Event<String> event) {
        EventExecutor loop = ThreadExecutorMap.currentExecutor();
        boolean first;
        synchronized (this) {
            if (completed) {
                return;
            }
            first = pending == null;
            if (first) {
                pending = new ByteArrayOutputStream(1024);
            }
            frame(event, pending);
        }
        if (loop == null) {
            flush();
        } else if (first) {
            loop.execute(this::flush);
        }
    }

    /** Hands on what is pending, then ends the body. */
    void complete() {
        synchronized (this) {
            if (completed) {
                return;
            }
            flush();
            completed = true;
            out.tryEmitComplete();
        }
    }

    // emitting under the lock keeps chunks in order and never emits from two threads at once
    private synchronized void flush() {
        if (pending == null) {
            return;
        }
        byte[] chunk = pending.toByteArray();
        pending = null;
        out.tryEmitNext(chunk);
    }

    static void frame(Event<String> event, ByteArrayOutputStream to) {
        if (event.getName() != null) {
            to.writeBytes(EVENT);
            to.writeBytes(event.getName().getBytes(StandardCharsets.UTF_8));
            to.write('\n');
        }
        String data = event.getData();
        int start = 0;
        while (true) {
            int end = data.indexOf('\n', start);
            to.writeBytes(DATA);
            to.writeBytes(data.substring(start, end < 0 ? data.length() : end).getBytes(StandardCharsets.UTF_8));
            to.write('\n');
            if (end < 0) {
                break;
            }
            start = end + 1;
        }
        to.write('\n');
    }
}
