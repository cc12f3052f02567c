package dev.tollgate.portal.usage;

import dev.tollgate.platform.http.ApiException;
import dev.tollgate.portal.web.Page;
import dev.tollgate.portal.web.PortalConfiguration;
import dev.tollgate.portal.web.Viewer;
import dev.tollgate.portal.web.Viewers;
import dev.tollgate.tenant.key.KeyService;
import dev.tollgate.tenant.project.ProjectService;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.UUID;

/**
 * {@code /requests}: the request log, newest first, a page of {@code tollgate.portal.page-size}
 * at a time ({@code before} = where the previous page ended), filtered by days, project, key,
 * model and status; {@code /requests/{id}}: one request with its routing attempts and, when its
 * project opted in to request logging, the redacted prompt and answer. A request id the tenant
 * does not have is a 404 page, whoever else has it. Readable by every role.
 */
@Controller("/requests")
@Produces(MediaType.TEXT_HTML)
@Requires(property = "tollgate.portal.enabled", notEquals = "false")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class RequestsController {

    private final Viewers viewers;
    private final RequestQueries requests;
    private final UsageQueries usage;
    private final KeyService keys;
    private final ProjectService projects;
    private final PortalConfiguration configuration;

    public RequestsController(Viewers viewers, RequestQueries requests, UsageQueries usage, KeyService keys,
                              ProjectService projects, PortalConfiguration configuration) {
        this.viewers = viewers;
        this.requests = requests;
        this.usage = usage;
        this.keys = keys;
        this.projects = projects;
        this.configuration = configuration;
    }

    @Get
    public HttpResponse<?> log(HttpRequest<?> request, Authentication authentication) {
        Viewer viewer = viewers.of(authentication);
        UUID tenant = viewer.caller().tenantId();
        List<String> problems = new ArrayList<>();
        UsageFilter filter = UsageFilter.parse(request, viewer.zone(), 7, problems);
        RequestCursor before = RequestCursor.parse(request.getParameters().get("before"));
        int size = Math.max(1, configuration.pageSize());
        // one more than shown tells whether an older page exists
        List<RequestRow> rows = new ArrayList<>(requests.page(tenant, filter, viewer.zone(), before, size + 1));
        boolean older = rows.size() > size;
        if (older) {
            rows.remove(size);
        }
        return Page.of("requests", viewer, "requests")
                .with("title", "Request log")
                .with("filter", filter)
                .with("rows", rows)
                .with("firstPage", before == null)
                .with("newest", link(filter, null))
                .with("older", older ? link(filter, rows.get(rows.size() - 1).cursor()) : null)
                .with("pageSize", size)
                .with("problems", problems)
                .with("keys", keys.list(viewer.caller(), null))
                .with("projects", projects.list(viewer.caller()))
                .with("models", usage.models(tenant, filter, viewer.zone()))
                .with("statuses", requests.statuses(tenant, filter, viewer.zone()))
                .ok();
    }

    /** The log with this filter, from {@code before} (the newest page when null); only the parameters that are set. */
    static String link(UsageFilter filter, @Nullable String before) {
        StringJoiner query = new StringJoiner("&", "/requests?", "");
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("from", filter.from());
        params.put("to", filter.to());
        params.put("project", filter.projectId());
        params.put("key", filter.keyId());
        params.put("model", filter.model());
        params.put("status", filter.status());
        params.put("before", before);
        params.forEach((name, value) -> {
            if (value != null) {
                query.add(name + "=" + URLEncoder.encode(value.toString(), StandardCharsets.UTF_8));
            }
        });
        return query.toString();
    }

    @Get("/{requestId}")
    public HttpResponse<?> detail(Authentication authentication, String requestId) {
        Viewer viewer = viewers.of(authentication);
        RequestDetail detail = requests.find(viewer.caller().tenantId(), requestId)
                .orElseThrow(() -> ApiException.notFound("No such request in your organization's log", "request_not_found"));
        return Page.of("request", viewer, "requests")
                .with("title", "Request " + requestId)
                .with("r", detail.request())
                .with("d", detail)
                .ok();
    }

    /** The playground's cost line: polls (htmx) until the gateway's meter has written the event. */
    @Get("/{requestId}/cost")
    public HttpResponse<?> cost(Authentication authentication, String requestId) {
        Viewer viewer = viewers.of(authentication);
        return Page.of("request", viewer, "playground")
                .with("requestId", requestId)
                .with("r", requests.row(viewer.caller().tenantId(), requestId).orElse(null))
                .fragment("cost").ok();
    }
}
