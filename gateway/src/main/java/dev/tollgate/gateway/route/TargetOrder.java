package dev.tollgate.gateway.route;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * The order in which one request tries a route's targets. Fallback: as listed. Load balance: a
 * weighted draw without replacement, so the first target follows the weights exactly and the
 * others stay available, in weighted order, for fallback.
 */
public final class TargetOrder {

    private TargetOrder() {
    }

    public static List<RouteConfig.Target> of(RouteConfig route, DoubleSupplier random) {
        if (route.strategy().mode() == RouteConfig.Mode.FALLBACK || route.targets().size() == 1) {
            return route.targets();
        }
        List<RouteConfig.Target> left = new ArrayList<>(route.targets());
        List<RouteConfig.Target> out = new ArrayList<>(left.size());
        while (!left.isEmpty()) {
            double total = 0;
            for (RouteConfig.Target t : left) {
                total += t.weight();
            }
            double pick = random.getAsDouble() * total;
            int chosen = left.size() - 1;
            for (int i = 0; i < left.size(); i++) {
                pick -= left.get(i).weight();
                if (pick < 0) {
                    chosen = i;
                    break;
                }
            }
            out.add(left.remove(chosen));
        }
        return out;
    }
}
