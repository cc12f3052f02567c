package dev.tollgate.tenant.account;

import dev.tollgate.platform.http.ApiException;
import dev.tollgate.platform.redis.RedisNamespace;
import dev.tollgate.tenant.web.TenantApiConfiguration;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Limits failed logins per e-mail and per client address in Redis, shared by every replica:
 * each failure counts within a fixed window ({@code login-failure-window}); once a counter
 * reaches its maximum, further attempts are refused with 429 and {@code Retry-After} until the
 * window ends, without the password even being checked. A successful login clears the
 * e-mail's counter. E-mail addresses appear in Redis only as SHA-256 hashes.
 */
@Singleton
public class LoginThrottle {

    /** INCR, and start the window on the first failure. */
    private static final String COUNT_FAILURE = """
            local n = redis.call('INCR', KEYS[1])
            if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
            return n
            """;

    private final StatefulRedisConnection<String, String> redis;
    private final RedisNamespace namespace;
    private final TenantApiConfiguration configuration;

    public LoginThrottle(StatefulRedisConnection<String, String> redis, RedisNamespace namespace,
                         TenantApiConfiguration configuration) {
        this.redis = redis;
        this.namespace = namespace;
        this.configuration = configuration;
    }

    /** Throws 429 when this e-mail or this address has used up its failures. */
    public void check(String email, String clientAddress) {
        refuseIfExhausted(emailKey(email), configuration.loginMaxFailuresPerEmail(),
                "Too many failed logins for this account; try again later");
        refuseIfExhausted(addressKey(clientAddress), configuration.loginMaxFailuresPerIp(),
                "Too many failed logins from this address; try again later");
    }

    public void failed(String email, String clientAddress) {
        long windowMillis = configuration.loginFailureWindow().toMillis();
        for (String key : new String[] {emailKey(email), addressKey(clientAddress)}) {
            redis.sync().eval(COUNT_FAILURE, ScriptOutputType.INTEGER, new String[] {key}, Long.toString(windowMillis));
        }
    }

    public void succeeded(String email) {
        redis.sync().del(emailKey(email));
    }

    private void refuseIfExhausted(String key, int max, String message) {
        String count = redis.sync().get(key);
        if (count != null && Long.parseLong(count) >= max) {
            long ttl = redis.sync().pttl(key);
            Duration retryAfter = ttl > 0 ? Duration.ofMillis(ttl) : configuration.loginFailureWindow();
            throw ApiException.rateLimited(message, "too_many_login_attempts", retryAfter);
        }
    }

    private String emailKey(String email) {
        return namespace.key("login-failures", "email", sha256(email.trim().toLowerCase(Locale.ROOT)));
    }

    private String addressKey(String clientAddress) {
        return namespace.key("login-failures", "ip", clientAddress);
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
