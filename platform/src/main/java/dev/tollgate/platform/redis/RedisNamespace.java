package dev.tollgate.platform.redis;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

/**
 * Names every Redis key and channel Tollgate uses, under one configurable prefix
 * ({@code tollgate.redis.prefix}, default {@code tg:}), so that several installations or test
 * classes can share one Redis without seeing each other's state.
 * <p>
 * Keys that must live in one Redis Cluster slot (the parts of one limit, say) are built with
 * {@link #tagged(String, String, String...)}, which wraps the owner in a hash tag.
 */
@Singleton
public final class RedisNamespace {

    private final String prefix;

    public RedisNamespace(@Value("${tollgate.redis.prefix:tg:}") String prefix) {
        this.prefix = prefix;
    }

    public String prefix() {
        return prefix;
    }

    /** {@code prefix + kind + ":" + parts joined by ":"}. */
    public String key(String kind, String... parts) {
        StringBuilder b = new StringBuilder(prefix).append(kind);
        for (String part : parts) {
            b.append(':').append(part);
        }
        return b.toString();
    }

    /** Like {@link #key} but the owner is a Redis Cluster hash tag: {@code prefix kind:{owner}:parts}. */
    public String tagged(String kind, String owner, String... parts) {
        StringBuilder b = new StringBuilder(prefix).append(kind).append(":{").append(owner).append('}');
        for (String part : parts) {
            b.append(':').append(part);
        }
        return b.toString();
    }

    /** A pub/sub channel name. */
    public String channel(String name) {
        return prefix + "channel:" + name;
    }
}
