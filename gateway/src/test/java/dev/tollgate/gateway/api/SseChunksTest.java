package dev.tollgate.gateway.api;

import io.micronaut.http.sse.Event;
import io.netty.channel.DefaultEventLoop;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Server-sent events framed as Micronaut frames them, batched per event-loop task. */
class SseChunksTest {

    private static String text(List<byte[]> chunks) {
        return chunks.stream().map(b -> new String(b, StandardCharsets.UTF_8)).collect(Collectors.joining("|"));
    }

    @Test
    void eventsOfOneEventLoopTaskLeaveAsOneChunk() throws Exception {
        DefaultEventLoop loop = new DefaultEventLoop();
        try {
            SseChunks chunks = new SseChunks();
            loop.submit(() -> {
                chunks.add(Event.of("{\"a\":1}"));
                chunks.add(Event.of("{\"b\":2}").name("delta"));
            }).get();
            loop.submit(() -> {
                chunks.add(Event.of("[DONE]"));
                chunks.complete();
            }).get();
            List<byte[]> out = chunks.flux().collectList().block(Duration.ofSeconds(5));
            assertEquals("data: {\"a\":1}\n\nevent: delta\ndata: {\"b\":2}\n\n|data: [DONE]\n\n", text(out));
        } finally {
            loop.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Test
    void offAnEventLoopEachEventLeavesAtOnceAndLinesAreFramedOneByOne() {
        SseChunks chunks = new SseChunks();
        chunks.add(Event.of("first line\nsecond line"));
        chunks.add(Event.of("é"));
        chunks.complete();
        chunks.add(Event.of("after the end"));
        List<byte[]> out = chunks.flux().collectList().block(Duration.ofSeconds(5));
        assertEquals("data: first line\ndata: second line\n\n|data: é\n\n", text(out));
    }
}
