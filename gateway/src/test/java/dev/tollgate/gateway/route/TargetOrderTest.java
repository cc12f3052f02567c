package dev.tollgate.gateway.route;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TargetOrderTest {

    static RouteConfig.Target target(String provider, double weight) {
        return new RouteConfig.Target(provider, null, weight, null, Map.of());
    }

    @Test
    void loadBalanceFollowsWeightsAndKeepsTheOthersForFallback() {
        RouteConfig route = new RouteConfig(new RouteConfig.Strategy(RouteConfig.Mode.LOADBALANCE, List.of()), RouteConfig.Retry.NONE,
                List.of(target("a", 6), target("b", 3), target("c", 1)), null);
        Random random = new Random(42);
        Map<String, Integer> first = new HashMap<>();
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            List<RouteConfig.Target> order = TargetOrder.of(route, random::nextDouble);
            assertEquals(3, order.size());
            assertEquals(3, order.stream().map(RouteConfig.Target::provider).distinct().count());
            first.merge(order.get(0).provider(), 1, Integer::sum);
        }
        assertEquals(0.6, first.get("a") / (double) n, 0.01);
        assertEquals(0.3, first.get("b") / (double) n, 0.01);
        assertEquals(0.1, first.get("c") / (double) n, 0.01);
    }

    @Test
    void fallbackKeepsTheListedOrder() {
        RouteConfig route = new RouteConfig(new RouteConfig.Strategy(RouteConfig.Mode.FALLBACK, List.of()), RouteConfig.Retry.NONE,
                List.of(target("a", 1), target("b", 100)), null);
        assertEquals(List.of("a", "b"), TargetOrder.of(route, Math::random).stream().map(RouteConfig.Target::provider).toList());
    }
}
