package dev.tollgate.gateway;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A subscription to one Redis pub/sub channel that never blocks or fails start-up: it connects
 * asynchronously, retries every 5 s while Redis is away, and Lettuce re-subscribes by itself after
 * a later reconnect. {@code onSubscribed} runs each time the subscription is (re)established, so
 * a cache can drop what it may have missed meanwhile. Messages arrive on a Redis I/O thread: the
 * handler must be quick and must not block.
 */
public final class PubSubListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PubSubListener.class);
    private static final long RETRY_MS = 5_000;

    private final RedisClient client;
    private final RedisURI uri;
    private final String channel;
    private final Consumer<String> onMessage;
    private final Runnable onSubscribed;
    private final ScheduledExecutorService retries;
    private volatile StatefulRedisPubSubConnection<String, String> connection;
    private volatile boolean closed;

    /** Starts listening on {@code channel} (a full name, from {@code RedisNamespace.channel}). */
    public PubSubListener(RedisClient client, RedisURI uri, String channel, Consumer<String> onMessage, Runnable onSubscribed) {
        this.client = client;
        this.uri = uri;
        this.channel = channel;
        this.onMessage = onMessage;
        this.onSubscribed = onSubscribed;
        this.retries = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pubsub-connect");
            t.setDaemon(true);
            return t;
        });
        connect();
    }

    private void connect() {
        if (closed) {
            return;
        }
        client.connectPubSubAsync(StringCodec.UTF8, uri).toCompletableFuture()
                .thenCompose(c -> {
                    c.addListener(new RedisPubSubAdapter<>() {
                        @Override
                        public void message(String ch, String message) {
                            if (channel.equals(ch) && message != null) {
                                try {
                                    onMessage.accept(message);
                                } catch (RuntimeException e) {
                                    LOG.warn("handling a message on {} failed: {}", channel, e.toString());
                                }
                            }
                        }
                    });
                    connection = c;
                    return c.async().subscribe(channel).toCompletableFuture();
                })
                .whenComplete((ok, e) -> {
                    if (e != null) {
                        LOG.warn("cannot listen on {} ({}), retrying in {} s", channel, e.getClass().getSimpleName(), RETRY_MS / 1000);
                        StatefulRedisPubSubConnection<String, String> c = connection;
                        if (c != null) {
                            c.closeAsync();
                            connection = null;
                        }
                        retries.schedule(this::connect, RETRY_MS, TimeUnit.MILLISECONDS);
                    } else {
                        onSubscribed.run();
                        LOG.debug("listening on {}", channel);
                    }
                });
    }

    @Override
    public void close() {
        closed = true;
        retries.shutdownNow();
        StatefulRedisPubSubConnection<String, String> c = connection;
        if (c != null) {
            c.closeAsync();
        }
    }
}
