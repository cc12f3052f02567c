package dev.tollgate.gateway.route;

import dev.tollgate.platform.http.ApiException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.regex.Pattern;

/**
 * Operator API over model mappings ({@code /admin/v1/models}, guarded by the admin token):
 * aliases that route a model name to a configured provider target and upstream model, stored in
 * the database, in force on every replica as soon as the call returns (see {@link ModelMappings}),
 * and ahead of the aliases of the configuration file.
 */
@Tag(name = "Operator: model mappings")
@SecurityRequirement(name = "adminToken")
@Controller("/admin/v1/models")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(property = "tollgate.gateway.enabled", notEquals = "false")
public class ModelMappingsAdminController {

    /** Aliases: letters, digits and {@code . _ : -}, up to 128; no {@code /}, which names a target. */
    static final Pattern ALIAS = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    private static final int MAX_MODEL = 256;

    /** The body of {@code PUT /admin/v1/models/{alias}}. */
    @Serdeable
    public record MappingCommand(@Nullable String provider, @Nullable String model) {
    }

    private final ModelMappingStore store;
    private final ModelMappings mappings;
    private final ModelRouter router;

    public ModelMappingsAdminController(ModelMappingStore store, ModelMappings mappings, ModelRouter router) {
        this.store = store;
        this.mappings = mappings;
        this.router = router;
    }

    @Operation(operationId = "listModelMappings",
            summary = "The effective alias mappings: stored ones (source store) and the configuration's aliases they do not replace (source config)")
    @Get
    public ModelMapping.Page list() {
        return new ModelMapping.Page(router.mappings());
    }

    @Operation(operationId = "putModelMapping", summary = "Routes the alias to a configured provider target and upstream model")
    @Put("/{alias}")
    public ModelMapping put(String alias, @Body MappingCommand command) {
        String name = alias(alias);
        String provider = command.provider() == null ? "" : command.provider().trim();
        if (provider.isEmpty()) {
            throw ApiException.badRequest("provider is required: the name of a configured provider target", "provider");
        }
        if (!router.targetNames().contains(provider)) {
            throw ApiException.badRequest("no provider target named '" + provider + "'; configured: "
                    + String.join(", ", router.targetNames()), "provider");
        }
        String model = command.model() == null ? "" : command.model().trim();
        if (model.isEmpty() || model.length() > MAX_MODEL) {
            throw ApiException.badRequest("model is required: the upstream model name, up to " + MAX_MODEL + " characters", "model");
        }
        store.put(name, provider, model);
        mappings.changed();
        return mappings.find(name).orElseThrow();
    }

    @Operation(operationId = "deleteModelMapping", summary = "Removes a stored mapping (a configured alias of the same name applies again)")
    @Delete("/{alias}")
    public HttpResponse<Void> delete(String alias) {
        if (!store.delete(alias(alias))) {
            throw ApiException.notFound("no stored model mapping '" + alias + "'", "model_mapping_not_found");
        }
        mappings.changed();
        return HttpResponse.noContent();
    }

    private static String alias(String alias) {
        if (!ALIAS.matcher(alias).matches()) {
            throw ApiException.badRequest("an alias is 1-128 letters, digits, '.', '_', ':' or '-', starting with a letter or digit", "alias");
        }
        return alias;
    }
}
