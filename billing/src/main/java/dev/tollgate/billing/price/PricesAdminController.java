package dev.tollgate.billing.price;

import dev.tollgate.platform.http.ApiException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Operator API over prices ({@code /admin/v1/prices}, guarded by the admin token): the
 * imported versions, a price lookup, override CRUD, and the unpriced-model report.
 */
@Tag(name = "Operator: prices")
@SecurityRequirement(name = "adminToken")
@Controller("/admin/v1/prices")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(property = "tollgate.billing.enabled", notEquals = "false")
public class PricesAdminController {

    private final CatalogPriceBook priceBook;
    private final PriceStore store;
    private final DataSource dataSource;

    public PricesAdminController(CatalogPriceBook priceBook, PriceStore store, DataSource dataSource) {
        this.priceBook = priceBook;
        this.store = store;
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
    }

    @Serdeable(naming = SnakeCaseStrategy.class)
    public record SourceView(long id, String name, String commit, @Nullable String commitDate, String sha256, Instant importedAt,
                             int providerCount, int modelCount, boolean active) {
    }

    @Serdeable(naming = SnakeCaseStrategy.class)
    public record PriceLookup(String provider, String model, String priceRef, String matchedProvider, String matchedModel,
                              Map<String, Object> prices) {
    }

    @Serdeable(naming = SnakeCaseStrategy.class)
    public record UnpricedRow(String provider, String model, long events, @Nullable Instant firstSeen, @Nullable Instant lastSeen,
                              long lookupsSinceStart) {
    }

    /** The imported price versions, newest first; {@code active} is the one this process prices with. */
    @Operation(operationId = "listPriceSources", summary = "List the imported price versions, newest first")
    @Get("/sources")
    public Map<String, List<SourceView>> sources() {
        long active = priceBook.catalog().sourceId();
        List<SourceView> list = store.sources().stream().map(s -> new SourceView(s.id(), s.name(), s.commit(),
                s.commitDate() == null ? null : s.commitDate().toString(), s.sha256(), s.importedAt(), s.providerCount(),
                s.modelCount(), s.id() == active)).toList();
        return Map.of("data", list);
    }

    /** The price that applies to a provider's model at an instant (default now), overrides included. */
    @Operation(operationId = "lookupPrice",
            summary = "Look up the price of a provider's model, optionally at a time and for a tenant")
    @Get
    public PriceLookup lookup(@QueryValue @Nullable String provider, @QueryValue @Nullable String model,
                              @QueryValue @Nullable String at, @QueryValue("tenant_id") @Nullable String tenantId) {
        if (model == null || model.isBlank()) {
            throw ApiException.badRequest("give ?model= (and usually ?provider=)", "model");
        }
        Instant when = parseInstant(at, "at");
        UUID tenant = tenantId == null ? null : parseUuid(tenantId, "tenant_id");
        PricedUsage p = priceBook.price(provider, model, Map.of(), when, tenant);
        if (!p.priced()) {
            throw ApiException.notFound("no price for " + (provider == null ? "" : provider + "/") + model, "unpriced_model");
        }
        var match = priceBook.catalog().find(provider, model);
        ModelPrice price = match.map(m -> m.model().periodAt(when).price()).orElse(new ModelPrice(Map.of()));
        var override = priceBook.overrides().stream().filter(o -> p.priceRef().startsWith("override:" + o.id())).findFirst();
        if (override.isPresent()) {
            price = price.overriddenBy(override.get().prices());
        }
        return new PriceLookup(provider, model, p.priceRef(), p.providerId(), p.modelId(), price.toJson());
    }

    @Operation(operationId = "listPriceOverrides", summary = "List price overrides")
    @Get("/overrides")
    public Map<String, List<PriceOverrideView>> overrides() {
        return Map.of("data", store.overrides().stream().map(PriceOverrideView::of).toList());
    }

    @Operation(operationId = "getPriceOverride", summary = "Get a price override")
    @Get("/overrides/{id}")
    public PriceOverrideView override(@PathVariable String id) {
        return store.override(parseUuid(id, "id")).map(PriceOverrideView::of)
                .orElseThrow(() -> ApiException.notFound("no price override " + id, "not_found"));
    }

    @Operation(operationId = "createPriceOverride", summary = "Create a price override",
            responses = @ApiResponse(responseCode = "201", description = "created",
            content = @Content(schema = @Schema(implementation = PriceOverrideView.class))))
    @Post("/overrides")
    public HttpResponse<PriceOverrideView> create(@Body PriceOverrideCommand command) {
        PriceOverride saved = store.insert(validate(UUID.randomUUID(), command));
        priceBook.refresh();
        return HttpResponse.status(HttpStatus.CREATED).body(PriceOverrideView.of(saved));
    }

    @Operation(operationId = "replacePriceOverride", summary = "Replace a price override")
    @Put("/overrides/{id}")
    public PriceOverrideView update(@PathVariable String id, @Body PriceOverrideCommand command) {
        PriceOverride saved = store.update(validate(parseUuid(id, "id"), command))
                .orElseThrow(() -> ApiException.notFound("no price override " + id, "not_found"));
        priceBook.refresh();
        return PriceOverrideView.of(saved);
    }

    @Operation(operationId = "deletePriceOverride", summary = "Delete a price override",
            responses = @ApiResponse(responseCode = "204", description = "done, no content"))
    @Delete("/overrides/{id}")
    public HttpResponse<Void> delete(@PathVariable String id) {
        if (!store.delete(parseUuid(id, "id"))) {
            throw ApiException.notFound("no price override " + id, "not_found");
        }
        priceBook.refresh();
        return HttpResponse.noContent();
    }

    /**
     * Models that went unpriced: usage events stored without a price (all replicas, from the
     * database) merged with this process's lookups since start.
     */
    @Operation(operationId = "listUnpricedModels", summary = "Models that went unpriced")
    @Get("/unpriced")
    public Map<String, List<UnpricedRow>> unpriced() {
        Map<String, UnpricedRow> rows = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     select coalesce(provider, '(unknown)'), coalesce(model_served, model_requested, '(none)'), count(*),
                            min(occurred_at), max(occurred_at)
                       from usage_event where not priced
                      group by 1, 2 order by 3 desc limit 500""");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.put(rs.getString(1) + "\u0000" + rs.getString(2), new UnpricedRow(rs.getString(1), rs.getString(2), rs.getLong(3),
                        rs.getTimestamp(4).toInstant(), rs.getTimestamp(5).toInstant(), 0));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read unpriced events", e);
        }
        for (CatalogPriceBook.UnpricedStat s : priceBook.unpricedSinceStart()) {
            String k = s.provider() + "\u0000" + s.model();
            UnpricedRow r = rows.get(k);
            rows.put(k, r == null
                    ? new UnpricedRow(s.provider(), s.model(), 0, null, null, s.count().get())
                    : new UnpricedRow(r.provider(), r.model(), r.events(), r.firstSeen(), r.lastSeen(), s.count().get()));
        }
        return Map.of("data", new ArrayList<>(rows.values()));
    }

    private PriceOverride validate(UUID id, PriceOverrideCommand cmd) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (cmd.providerId() == null || cmd.providerId().isBlank()) {
            fields.put("provider_id", "required");
        }
        ModelPrice prices = null;
        if (cmd.prices() == null) {
            fields.put("prices", "required: an object of price keys such as {\"input_mtok\": 2.5}");
        } else {
            try {
                prices = ModelPrice.parse(cmd.prices());
                if (prices.prices().isEmpty()) {
                    fields.put("prices", "name at least one price key");
                }
            } catch (IllegalArgumentException e) {
                fields.put("prices", e.getMessage());
            }
        }
        Instant from = cmd.effectiveFrom() == null ? Instant.now() : cmd.effectiveFrom();
        if (cmd.effectiveTo() != null && !cmd.effectiveTo().isAfter(from)) {
            fields.put("effective_to", "must be after effective_from");
        }
        if (cmd.tenantId() != null && !store.tenantExists(cmd.tenantId())) {
            fields.put("tenant_id", "no such tenant");
        }
        if (!fields.isEmpty()) {
            throw ApiException.invalidFields("the price override is not valid", fields);
        }
        Instant now = Instant.now();
        String model = cmd.modelId() == null || cmd.modelId().isBlank() ? null : cmd.modelId().trim();
        return new PriceOverride(id, cmd.providerId().trim().toLowerCase(Locale.ROOT), model, cmd.tenantId(), prices, from,
                cmd.effectiveTo(), cmd.note(), now, now);
    }

    static Instant parseInstant(@Nullable String value, String param) {
        if (value == null || value.isBlank()) {
            return Instant.now();
        }
        try {
            return Instant.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            throw ApiException.badRequest(param + " must be an ISO-8601 instant such as 2026-03-01T00:00:00Z", param);
        }
    }

    static UUID parseUuid(String value, String param) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("no such " + param + " '" + value + "'", "not_found");
        }
    }
}
