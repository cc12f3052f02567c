package dev.tollgate.platform.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A subscription to one Redis pub/sub channel that a Redis down at start-up cannot fail: it
 * connects asynchronously and retries every 5 s until it listens; Lettuce resubscribes after a
 * later reconnect by itself. Messages and (re)subscriptions are handed to the owner on a thread
 * of the subscription's own, in order, so the owner may block (read the database, say).
 * {@code onSubscribed} runs each time the channel is (re)subscribed: pub/sub does not replay
 * what was published while a replica was away, so that is when the owner catches up.
 */
public final class ChannelSubscription implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelSubscription.class);
    private static final long RETRY_MS = 5_000;

    private final RedisClient client;
    private final RedisURI uri;
    private final String channel;
    private final Consumer<String> onMessage;
    private final Runnable onSubscribed;
    private final ScheduledExecutorService worker;
    private final CompletableFuture<Void> subscribed = new CompletableFuture<>();
    private volatile StatefulRedisPubSubConnection<String, String> connection;
    private volatile boolean closed;

    /**
     * Starts listening.
     *
     * @param name a short name for the worker thread and log lines
     */
    public ChannelSubscription(RedisClient client, RedisURI uri, String channel, String name, Consumer<String> onMessage,
                               Runnable onSubscribed) {
        this.client = client;
        this.uri = uri;
        this.channel = channel;
        this.onMessage = onMessage;
        this.onSubscribed = onSubscribed;
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name + "-listener");
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
                            if (channel.equals(ch)) {
                                run(() -> onMessage.accept(message));
                            }
                        }

                        @Override
                        public void subscribed(String ch, long count) {
                            if (channel.equals(ch)) {
                                run(() -> {
                                    onSubscribed.run();
                                    subscribed.complete(null);
                                });
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
                        if (!closed) {
                            worker.schedule(this::connect, RETRY_MS, TimeUnit.MILLISECONDS);
                        }
                    } else {
                        LOG.debug("listening on {}", channel);
                    }
                });
    }

    /**
     * Completes once the channel is first subscribed (and {@code onSubscribed} has run): from then
     * on no message published on it is missed while the connection stays up.
     */
    public CompletableFuture<Void> subscribed() {
        return subscribed;
    }

    private void run(Runnable task) {
        if (closed) {
            return;
        }
        worker.execute(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("handling a message of {} failed: {}", channel, e.toString());
            }
        });
    }

    @Override
    public void close() {
        closed = true;
        worker.shutdownNow();
        StatefulRedisPubSubConnection<String, String> c = connection;
        if (c != null) {
            c.closeAsync();
        }
    }
}
