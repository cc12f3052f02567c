package dev.tollgate.gateway;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;

import java.util.concurrent.CompletableFuture;

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

    public void close() {
        CompletableFuture<StatefulRedisConnection<String, String>> current = connection;
        if (current != null) {
            current.thenAccept(StatefulRedisConnection::closeAsync);
        }
    }
}
