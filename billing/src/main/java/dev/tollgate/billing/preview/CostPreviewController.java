package dev.tollgate.billing.preview;

import dev.tollgate.billing.price.CatalogPriceBook;
import dev.tollgate.billing.price.PricedUsage;
import dev.tollgate.platform.http.ApiException;
import dev.tollgate.platform.usage.extract.ExtractedUsage;
import dev.tollgate.platform.usage.extract.UsageExtractionException;
import dev.tollgate.platform.usage.extract.UsageExtractors;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code POST /admin/v1/cost/preview}: what a provider response costs, by the live billing code. */
@Tag(name = "Operator: prices")
@SecurityRequirement(name = "adminToken")
@Controller("/admin/v1/cost/preview")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(property = "tollgate.billing.enabled", notEquals = "false")
public class CostPreviewController {

    private final UsageExtractors extractors;
    private final CatalogPriceBook priceBook;

    public CostPreviewController(UsageExtractors extractors, CatalogPriceBook priceBook) {
        this.extractors = extractors;
        this.priceBook = priceBook;
    }

    @Operation(summary = "Price a raw provider response exactly as live billing does")
    @Post
    public CostPreview preview(@Body CostPreviewCommand command) {
        if (command.providerId() == null || command.providerId().isBlank()) {
            throw ApiException.invalidFields("provider_id is required", Map.of("provider_id", "required"));
        }
        if (command.responseBody() == null || !command.responseBody().isObject()) {
            throw ApiException.invalidFields("response_body must be the provider's JSON response object",
                    Map.of("response_body", "required: a JSON object"));
        }
        ExtractedUsage usage;
        try {
            usage = extractors.extract(command.providerId(), command.apiFlavor(), command.responseBody());
        } catch (UsageExtractionException e) {
            throw ApiException.badRequest(e.getMessage(), "response_body");
        }
        String model = command.model() != null && !command.model().isBlank() ? command.model() : usage.model();
        if (model == null) {
            throw ApiException.invalidFields("name the model: the response body does not", Map.of("model", "required"));
        }
        Instant at = command.at() == null ? Instant.now() : command.at();
        // what a usage event stores, plus what it does not carry (web searches, image tokens …)
        Map<String, Long> counts = new LinkedHashMap<>(usage.counts());
        counts.putAll(ExtractedUsage.countsOf(usage.toTokenUsage()));
        PricedUsage priced = priceBook.price(command.providerId(), model, counts, at, command.tenantId());
        if (!priced.priced()) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, "invalid_request_error", priced.reason(), "model",
                    "unpriced_model", null, null);
        }
        Map<String, Long> shown = new LinkedHashMap<>();
        ExtractedUsage.TOKEN_USAGE_KEYS.forEach(k -> shown.put(k, 0L));
        shown.putAll(counts);
        return new CostPreview(usage.provider(), usage.apiFlavor(), model, shown, text(priced.inputPrice()),
                text(priced.outputPrice()), text(priced.costUsd()), text(priced.billedUsd()), priced.priceRef(), priced.chargedUnits());
    }

    private static String text(BigDecimal v) {
        return v.signum() == 0 ? "0" : v.stripTrailingZeros().toPlainString();
    }
}
