package dev.tollgate.portal.key;

import dev.tollgate.platform.tenant.KeyScopes;
import dev.tollgate.platform.tenant.Limits;
import dev.tollgate.tenant.key.KeyView;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A key as its table row shows it: the key, its project's name, readable scopes and limits, and the
 * routes it may be bound to.
 */
public record KeyRow(KeyView key, String project, List<RouteChoice> routes) {

    public boolean active() {
        return "active".equals(key.status());
    }

    public String scopes() {
        KeyScopes s = key.scopes();
        boolean allModels = s == null || s.models() == null || s.models().isEmpty();
        boolean allEndpoints = s == null || s.endpoints() == null || s.endpoints().isEmpty();
        if (allModels && allEndpoints) {
            return "all models and endpoints";
        }
        return (allModels ? "all models" : String.join(", ", s.models()))
                + " · " + (allEndpoints ? "all endpoints" : String.join(", ", s.endpoints()));
    }

    public String limits() {
        return describe(key.limits());
    }

    /** Limits in words ("600 req/min · $50/month"), or "none". */
    public static String describe(Limits l) {
        if (l == null) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        if (l.rpm() != null) {
            parts.add(String.format(Locale.ROOT, "%,d req/min", l.rpm()));
        }
        if (l.tpm() != null) {
            parts.add(String.format(Locale.ROOT, "%,d tokens/min", l.tpm()));
        }
        if (l.maxConcurrent() != null) {
            parts.add(l.maxConcurrent() + " concurrent");
        }
        if (l.tokensPerDay() != null) {
            parts.add(String.format(Locale.ROOT, "%,d tokens/day", l.tokensPerDay()));
        }
        if (l.tokensPerMonth() != null) {
            parts.add(String.format(Locale.ROOT, "%,d tokens/month", l.tokensPerMonth()));
        }
        if (l.budgetUsdPerMonth() != null) {
            parts.add("$" + l.budgetUsdPerMonth().stripTrailingZeros().toPlainString() + "/month");
        }
        return parts.isEmpty() ? "none" : String.join(" · ", parts);
    }
}
