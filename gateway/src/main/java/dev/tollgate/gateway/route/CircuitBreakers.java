package dev.tollgate.gateway.route;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One {@link CircuitBreaker} per target id ({@code provider/model}) on this replica, with the
 * metrics {@code tollgate.route.circuit.opened} (times a circuit opened),
 * {@code tollgate.route.circuit.rejected} (calls refused by an open circuit) and the gauge
 * {@code tollgate.route.circuit.open} (1 while open), each tagged {@code target}.
 */
@Singleton
public class CircuitBreakers {

    private final RoutingConfiguration configuration;
    private final MeterRegistry meters;
    private final ConcurrentMap<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();

    public CircuitBreakers(RoutingConfiguration configuration, MeterRegistry meters) {
        this.configuration = configuration;
        this.meters = meters;
    }

    /** The breaker of a target, created closed on first use. */
    public CircuitBreaker of(String targetId) {
        return breakers.computeIfAbsent(targetId, id -> {
            CircuitBreaker b = new CircuitBreaker(configuration.breakerFailures(), configuration.breakerFailureRate(),
                    configuration.breakerWindow(), configuration.breakerCooldown(), System::nanoTime);
            Gauge.builder("tollgate.route.circuit.open", b, x -> x.state() == CircuitBreaker.State.OPEN ? 1 : 0)
                    .description("1 while the target's circuit is open").tag("target", id).register(meters);
            return b;
        });
    }

    void opened(String targetId) {
        Counter.builder("tollgate.route.circuit.opened").description("times a target's circuit opened")
                .tag("target", targetId).register(meters).increment();
    }

    void rejected(String targetId) {
        Counter.builder("tollgate.route.circuit.rejected").description("calls refused by an open circuit")
                .tag("target", targetId).register(meters).increment();
    }
}
