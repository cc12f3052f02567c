package dev.tollgate.platform.tenant;

import dev.tollgate.platform.redis.ChannelSubscription;
import dev.tollgate.platform.testing.RealServices;
import dev.tollgate.platform.testing.TestServices;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Value;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

@MicronautTest(startApplication = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeyInvalidationsTest implements RealServices {

    @Inject
    KeyInvalidations invalidations;
    @Value("${tollgate.redis.prefix}")
    String prefix;

    @Test
    void subscriberInAnotherContextReceivesKeyAndTenantMessages() throws Exception {
        try (ApplicationContext replica = ApplicationContext.run(Map.of(
                "redis.uri", TestServices.redisUri(),
                "tollgate.redis.prefix", prefix))) {
            BlockingQueue<String> received = new LinkedBlockingQueue<>();
            try (ChannelSubscription ignored = replica.getBean(KeyInvalidations.class).subscribe(received::add)) {
                UUID tenant = UUID.randomUUID();
                invalidations.publishKey("AbCdEf123456");
                invalidations.publishTenant(tenant);

                assertEquals("key:AbCdEf123456", received.poll(5, TimeUnit.SECONDS));
                assertEquals("tenant:" + tenant, received.poll(5, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void anotherInstallationPrefixDoesNotReceive() throws Exception {
        try (ApplicationContext other = ApplicationContext.run(Map.of(
                "redis.uri", TestServices.redisUri(),
                "tollgate.redis.prefix", prefix + "other:"))) {
            BlockingQueue<String> received = new LinkedBlockingQueue<>();
            try (ChannelSubscription ignored = other.getBean(KeyInvalidations.class).subscribe(received::add)) {
                invalidations.publishKey("ZZZZZZZZZZZZ");
                assertNull(received.poll(500, TimeUnit.MILLISECONDS));
            }
        }
    }
}
