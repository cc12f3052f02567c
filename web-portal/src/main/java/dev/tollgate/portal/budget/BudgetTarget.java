package dev.tollgate.portal.budget;

import java.util.UUID;

/**
 * What a budget applies to: the organization ({@code tenant}), one project or one key, with the
 * name the page shows. {@link #value()} is the form value ({@code tenant}, {@code project:<id>},
 * {@code key:<id>}).
 */
public record BudgetTarget(String scope, UUID scopeId, String name) {

    public String value() {
        return "tenant".equals(scope) ? "tenant" : scope + ":" + scopeId;
    }

    /** "Organization", "Project" or "Key", for tables. */
    public String kind() {
        return switch (scope) {
            case "tenant" -> "Organization";
            case "project" -> "Project";
            default -> "Key";
        };
    }
}
