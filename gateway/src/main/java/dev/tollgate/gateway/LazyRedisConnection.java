package dev.tollgate.gateway;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A Redis connection of the request path, opened asynchronously on first use and again (at most
 * every 2 s) after a failed attempt, so a Redis that is down at start-up never blocks or fails
 * the gateway; Lettuce itself reconnects a connection that drops later.
 */
public final class LazyRedisConnection {

    private static final long RECONNECT_EVERY_MS = 2_000;

    private final RedisClient client;
    private final RedisURI uri;
    private volatile CompletableFuture<StatefulRedisConnection<String, String>> connection;
    private volatile long reconnectAt;

    public LazyRedisConnection(RedisClient client, RedisURI uri) {
        this.client = client;
        this.uri = uri;
    }

    /** The connection, or a fresh attempt when the last one failed more than 2 s ago. */
    public CompletableFuture<StatefulRedisConnection<String, String>> get() {
        CompletableFuture<StatefulRedisConnection<String, String>> current = connection;
        if (current != null && (!current.isCompletedExceptionally() || System.currentTimeMillis() < reconnectAt)) {
            return current;
        }
        synchronized (this) {
            if (connection == current) {
                reconnectAt = System.currentTimeMillis() + RECONNECT_EVERY_MS;
                connection = client.connectAsync(StringCodec.UTF8, uri).toCompletableFuture();
            }
            return connection;
        }
    }

    /**
     * Closes the connection and waits for it (up to 5 s): Redis may be stopped right after (an
     * embedded one), and a connection still open then would try to reconnect to it.
     */
    public void close() {
        CompletableFuture<StatefulRedisConnection<String, String>> current = connection;
        if (current == null || current.cancel(false)) {
            return;
        }
        try {
            current.thenCompose(StatefulRedisConnection::closeAsync).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | CancellationException e) {
            // never connected, or not closed in time: nothing more to do on the way out
        }
    }
}
