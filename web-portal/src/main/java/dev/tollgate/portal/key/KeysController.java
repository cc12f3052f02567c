package dev.tollgate.portal.key;

import dev.tollgate.platform.http.ApiException;
import dev.tollgate.platform.tenant.KeyScopes;
import dev.tollgate.platform.tenant.Limits;
import dev.tollgate.portal.web.Form;
import dev.tollgate.portal.web.Page;
import dev.tollgate.portal.web.Viewer;
import dev.tollgate.portal.web.Viewers;
import dev.tollgate.tenant.key.CreateKeyCommand;
import dev.tollgate.tenant.key.CreatedKey;
import dev.tollgate.tenant.key.KeyService;
import dev.tollgate.tenant.key.KeyView;
import dev.tollgate.tenant.key.RotateKeyCommand;
import dev.tollgate.tenant.key.RouteChange;
import dev.tollgate.tenant.key.UpdateKeyCommand;
import dev.tollgate.tenant.project.ProjectService;
import dev.tollgate.tenant.project.ProjectView;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import jakarta.validation.Validator;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code /keys}: the tenant's API keys through the tenant API's {@link KeyService}, which checks
 * the role (viewers read, members and above change), the tenant of every key and project, and that
 * a key's default route is one its project may use.
 */
@Controller("/keys")
@Produces(MediaType.TEXT_HTML)
@Requires(property = "tollgate.portal.enabled", notEquals = "false")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class KeysController {

    /** Grace periods offered when rotating, in seconds. */
    static final List<Long> GRACE = List.of(0L, 3600L, 86400L, 604800L);

    private final Viewers viewers;
    private final KeyService keys;
    private final ProjectService projects;
    private final Validator validator;

    public KeysController(Viewers viewers, KeyService keys, ProjectService projects, Validator validator) {
        this.viewers = viewers;
        this.keys = keys;
        this.projects = projects;
        this.validator = validator;
    }

    @Get
    public HttpResponse<?> list(Authentication authentication) {
        Viewer viewer = viewers.of(authentication);
        return page(viewer, Form.empty()).ok();
    }

    @Post
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> create(Authentication authentication, @Body Map<String, String> body) {
        Viewer viewer = viewers.of(authentication);
        Form form = Form.of(body);
        Limits limits = new Limits(form.positiveLong("rpm"), form.positiveLong("tpm"), null,
                form.positiveLong("tokens_per_day"), form.positiveLong("tokens_per_month"), form.money("budget_usd"));
        List<String> endpoints = new ArrayList<>();
        for (String e : KeyService.ENDPOINTS.stream().sorted().toList()) {
            if (form.checked("endpoint_" + e)) {
                endpoints.add(e);
            }
        }
        List<String> models = Arrays.stream(form.text("models").split("[,\\s]+")).filter(m -> !m.isBlank()).toList();
        Instant expires = form.date("expires_on");
        if (expires != null) {
            // a key expiring "on" a day works through that day
            expires = expires.plusSeconds(86400);
        }
        CreateKeyCommand command = form.validate(validator, new CreateKeyCommand(form.text("name"), form.uuid("project_id"),
                new KeyScopes(models, endpoints), limits, expires, null, form.optional("route")));
        if (!form.valid()) {
            return page(viewer, form).with("error", form.summary()).status(HttpStatus.BAD_REQUEST);
        }
        try {
            CreatedKey created = keys.create(viewer.caller(), command);
            return page(viewer, Form.empty()).with("created", created)
                    .with("notice", "Key \u201c" + created.view().name() + "\u201d created.").status(HttpStatus.CREATED);
        } catch (ApiException e) {
            form.errors(e);
            return page(viewer, form).with("error", e.getMessage()).status(e.status());
        }
    }

    @Post("/{id}/rotate")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> rotate(Authentication authentication, UUID id, @Nullable @Body Map<String, String> body) {
        Viewer viewer = viewers.of(authentication);
        Form form = Form.of(body);
        Long grace = form.optional("grace_seconds") == null ? null : parseGrace(form.text("grace_seconds"));
        try {
            CreatedKey rotated = keys.rotate(viewer.caller(), id, new RotateKeyCommand(grace));
            String until = rotated.view().previousSecretValidUntil() == null ? "stopped working now"
                    : "keeps working until " + viewer.fmt().time(rotated.view().previousSecretValidUntil());
            return page(viewer, Form.empty()).with("created", rotated)
                    .with("notice", "Key \u201c" + rotated.view().name() + "\u201d rotated: the old secret " + until + ".").ok();
        } catch (ApiException e) {
            return page(viewer, Form.empty()).with("error", e.getMessage()).status(e.status());
        }
    }

    /** Binds a key to one of the routes its project may use, or (blank) unbinds it. */
    @Post("/{id}/route")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> route(Authentication authentication, UUID id, @Nullable @Body Map<String, String> body) {
        Viewer viewer = viewers.of(authentication);
        String route = Form.of(body).optional("route");
        try {
            KeyView key = keys.update(viewer.caller(), id, new UpdateKeyCommand(null, null, null, null, null, new RouteChange(route)));
            String what = key.route() == null ? "no longer follows a route" : "now follows route \u201c" + key.route() + "\u201d";
            return page(viewer, Form.empty()).with("notice", "Key \u201c" + key.name() + "\u201d " + what + ".").ok();
        } catch (ApiException e) {
            return page(viewer, Form.empty()).with("error", e.getMessage()).status(e.status());
        }
    }

    @Post("/{id}/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> revoke(Authentication authentication, UUID id) {
        Viewer viewer = viewers.of(authentication);
        try {
            KeyView key = keys.get(viewer.caller(), id);
            keys.revoke(viewer.caller(), id);
            return page(viewer, Form.empty()).with("notice", "Key \u201c" + key.name() + "\u201d revoked: it stops working within seconds.").ok();
        } catch (ApiException e) {
            return page(viewer, Form.empty()).with("error", e.getMessage()).status(e.status());
        }
    }

    private Page page(Viewer viewer, Form form) {
        List<ProjectView> projectList = projects.list(viewer.caller());
        Map<UUID, String> names = new HashMap<>();
        projectList.forEach(p -> names.put(p.id(), p.name()));
        List<RouteChoice> routes = RouteChoice.of(keys.routes(viewer.caller()), names);
        List<KeyRow> rows = keys.list(viewer.caller(), null).stream()
                .map(k -> new KeyRow(k, names.getOrDefault(k.projectId(), "(deleted project)"), RouteChoice.visibleTo(routes, k.projectId())))
                .toList();
        return Page.of("keys", viewer, "keys")
                .with("title", "API keys")
                .with("keys", rows)
                .with("projects", projectList)
                .with("routes", routes)
                .with("form", form)
                .with("grace", GRACE)
                .with("minExpiry", LocalDate.now(viewer.zone()).plusDays(1).toString());
    }

    @Nullable
    private static Long parseGrace(String value) {
        try {
            long g = Long.parseLong(value);
            return g < 0 ? null : g;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
