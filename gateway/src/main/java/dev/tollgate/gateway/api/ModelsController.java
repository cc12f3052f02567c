package dev.tollgate.gateway.api;

import dev.tollgate.gateway.GatewayErrors;
import dev.tollgate.gateway.auth.Caller;
import dev.tollgate.gateway.model.Json;
import dev.tollgate.gateway.route.ModelRouter;
import dev.tollgate.platform.http.ApiException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

import java.util.ArrayList;
import java.util.List;

/** {@code GET /v1/models} and {@code GET /v1/models/{id}}: the models this key may use. */
@Controller("/v1")
@Secured(SecurityRule.IS_ANONYMOUS)
@Requires(property = "tollgate.gateway.enabled", notEquals = "false")
public class ModelsController {

    private final ModelRouter router;
    private final RequestBodies bodies;

    public ModelsController(ModelRouter router, RequestBodies bodies) {
        this.router = router;
        this.bodies = bodies;
    }

    @Get(uri = "/models", produces = MediaType.APPLICATION_JSON)
    public MutableHttpResponse<String> list(HttpRequest<?> request) {
        Caller caller = Caller.of(request);
        List<JsonNode> data = new ArrayList<>();
        for (ModelRouter.ListedModel m : router.catalog()) {
            if (caller.grant().scopes().allowsModel(m.id())) {
                data.add(model(m));
            }
        }
        return HttpResponse.ok(bodies.write(Json.obj().put("object", "list").put("data", Json.arr(data)).build()));
    }

    @Get(uri = "/models/{id}", produces = MediaType.APPLICATION_JSON)
    public MutableHttpResponse<String> get(HttpRequest<?> request, @PathVariable String id) {
        Caller caller = Caller.of(request);
        for (ModelRouter.ListedModel m : router.catalog()) {
            if (m.id().equals(id) && caller.grant().scopes().allowsModel(id)) {
                return HttpResponse.ok(bodies.write(model(m)));
            }
        }
        throw ApiException.notFound("The model '" + id + "' does not exist or this key may not use it", "model_not_found");
    }

    private static JsonNode model(ModelRouter.ListedModel m) {
        return Json.obj().put("id", m.id()).put("object", "model").put("created", 0).put("owned_by", m.ownedBy()).build();
    }

    @Error
    public MutableHttpResponse<?> failed(Throwable e) {
        return GatewayErrors.render(e, GatewayErrors.Shape.OPENAI);
    }
}
