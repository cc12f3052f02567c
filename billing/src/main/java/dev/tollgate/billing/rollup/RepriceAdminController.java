package dev.tollgate.billing.rollup;

import dev.tollgate.platform.http.ApiException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * {@code POST /admin/v1/usage/reprice?from=&to=}: prices the unpriced events of a range again
 * (after an operator added a price for their model), rolled ones included; their rollups follow.
 */
@Tag(name = "Operator: prices")
@SecurityRequirement(name = "adminToken")
@Controller("/admin/v1/usage/reprice")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(property = "tollgate.billing.enabled", notEquals = "false")
public class RepriceAdminController {

    private static final int BATCH = 5000;
    private final Repricer repricer;

    public RepriceAdminController(Repricer repricer) {
        this.repricer = repricer;
    }

    @Operation(summary = "Price the unpriced usage events of a time range again")
    @Post
    public Map<String, Long> reprice(@QueryValue @Nullable String from, @QueryValue @Nullable String to) {
        if (from == null || to == null) {
            throw ApiException.badRequest("give from= and to= (ISO-8601 instants)", from == null ? "from" : "to");
        }
        Instant start;
        Instant end;
        try {
            start = Instant.parse(from);
            end = Instant.parse(to);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("from and to must be ISO-8601 instants such as 2026-03-01T00:00:00Z", "from");
        }
        if (!start.isBefore(end)) {
            throw ApiException.badRequest("from must be before to", "from");
        }
        long examined = 0;
        long priced = 0;
        Repricer.Result r;
        do {
            r = repricer.reprice(start, end, true, BATCH);
            examined += r.examined();
            priced += r.priced();
        } while (r.examined() == BATCH && r.priced() > 0);
        return Map.of("examined", examined, "priced", priced);
    }
}
