package dev.tollgate.platform.embedded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Starting a freshly extracted binary while another process still holds it open for writing (ETXTBSY). */
class EmbeddedRedisServerTest {

    @Test
    void aBinaryStillOpenForWritingIsLaunchedOnceItIsClosed(@TempDir Path dir) throws Exception {
        Path binary = dir.resolve("tool");
        FileOutputStream writing = new FileOutputStream(binary.toFile());
        writing.write("#!/bin/sh\nexit 0\n".getBytes(StandardCharsets.US_ASCII));
        writing.flush();
        assertTrue(binary.toFile().setExecutable(true));
        AtomicInteger attempts = new AtomicInteger();
        EmbeddedRedisServer.Launch launch = () -> {
            attempts.incrementAndGet();
            Process p = new ProcessBuilder(binary.toString()).start();
            try {
                assertTrue(p.waitFor(10, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            assertEquals(0, p.exitValue());
        };
        // while the file is open for writing the kernel refuses to execute it
        IOException busy = assertThrows(IOException.class, launch::run);
        assertTrue(busy.getMessage().contains("error=26,"), busy.getMessage());

        Thread closer = new Thread(() -> {
            try {
                Thread.sleep(150);
                writing.close();
            } catch (InterruptedException | IOException e) {
                throw new IllegalStateException(e);
            }
        });
        closer.start();
        attempts.set(0);
        EmbeddedRedisServer.retryingBusyBinary(launch);
        closer.join();
        assertTrue(attempts.get() > 1, "launched at once though the binary was busy: " + attempts.get());
    }

    @Test
    void otherLaunchFailuresAreNotRetried(@TempDir Path dir) {
        AtomicInteger attempts = new AtomicInteger();
        assertThrows(IOException.class, () -> EmbeddedRedisServer.retryingBusyBinary(() -> {
            attempts.incrementAndGet();
            new ProcessBuilder(dir.resolve("missing").toString()).start();
        }));
        assertEquals(1, attempts.get());
    }

    @Test
    void startsAndServes() throws Exception {
        try (EmbeddedRedisServer redis = EmbeddedRedisServer.start(null, 0);
             var socket = new java.net.Socket("127.0.0.1", redis.port())) {
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] answer = new byte[7];
            assertEquals(7, socket.getInputStream().readNBytes(answer, 0, 7));
            assertEquals("+PONG\r\n", new String(answer, StandardCharsets.US_ASCII));
        }
    }
}
