package dev.tollgate.portal.usage;

import dev.tollgate.portal.web.Charts;
import dev.tollgate.portal.web.Page;
import dev.tollgate.portal.web.PortalPaths;
import dev.tollgate.portal.web.Viewer;
import dev.tollgate.portal.web.Viewers;
import dev.tollgate.tenant.key.KeyService;
import dev.tollgate.tenant.project.ProjectService;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpHeaders;
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

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /usage} (the usage explorer) and {@code /usage.csv} (its table as CSV). Readable by every role. */
@Controller
@Produces(MediaType.TEXT_HTML)
@Requires(property = "tollgate.portal.enabled", notEquals = "false")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class UsageController {

    private static final int MAX_GROUPS = 1000;

    private final Viewers viewers;
    private final UsageQueries usage;
    private final KeyService keys;
    private final ProjectService projects;
    private final Charts charts;

    public UsageController(Viewers viewers, UsageQueries usage, KeyService keys, ProjectService projects, Charts charts) {
        this.viewers = viewers;
        this.usage = usage;
        this.keys = keys;
        this.projects = projects;
        this.charts = charts;
    }

    @Get("/usage")
    public HttpResponse<?> explorer(HttpRequest<?> request, Authentication authentication) {
        Viewer viewer = viewers.of(authentication);
        List<String> problems = new ArrayList<>();
        UsageFilter filter = UsageFilter.parse(request, viewer.zone(), 30, problems);
        GroupBy by = GroupBy.parse(request.getParameters().get("group"));
        List<UsageRow> rows = usage.grouped(viewer.caller().tenantId(), filter, by, viewer.zone(), MAX_GROUPS);
        Page page = Page.of("usage", viewer, "usage")
                .with("title", "Usage")
                .with("filter", filter)
                .with("group", by.wireName())
                .with("rows", rows)
                .with("summary", usage.summary(viewer.caller().tenantId(), filter, viewer.zone()))
                .with("chart", chart(rows, by, filter, viewer))
                .with("problems", problems)
                .with("query", query(request))
                .with("keys", keys.list(viewer.caller(), null))
                .with("projects", projects.list(viewer.caller()))
                .with("models", usage.models(viewer.caller().tenantId(), filter, viewer.zone()));
        return (PortalPaths.isFragmentRequest(request) ? page.fragment("results") : page).ok();
    }

    @Get(value = "/usage.csv", produces = "text/csv")
    public HttpResponse<String> csv(HttpRequest<?> request, Authentication authentication) {
        Viewer viewer = viewers.of(authentication);
        UsageFilter filter = UsageFilter.parse(request, viewer.zone(), 30, new ArrayList<>());
        GroupBy by = GroupBy.parse(request.getParameters().get("group"));
        StringBuilder csv = new StringBuilder(by.wireName()).append(",requests,input_tokens,output_tokens,cached_input_tokens,errors,cost_usd\n");
        for (UsageRow r : usage.grouped(viewer.caller().tenantId(), filter, by, viewer.zone(), MAX_GROUPS)) {
            csv.append(cell(r.group())).append(',').append(r.requests()).append(',').append(r.inputTokens()).append(',')
                    .append(r.outputTokens()).append(',').append(r.cachedTokens()).append(',').append(r.errors()).append(',')
                    .append(r.spend().toPlainString()).append('\n');
        }
        String name = "tollgate-usage-" + by.wireName() + "-" + filter.from() + "-" + filter.to() + ".csv";
        return HttpResponse.ok(csv.toString())
                .contentType(MediaType.of("text/csv;charset=utf-8"))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "\"");
    }

    private String chart(List<UsageRow> rows, GroupBy by, UsageFilter filter, Viewer viewer) {
        if (by == GroupBy.DAY) {
            Map<String, Map<String, BigDecimal>> byDay = usage.dailySpendByModel(viewer.caller().tenantId(), filter, viewer.zone());
            List<String> days = new ArrayList<>();
            for (LocalDate d = filter.from(); !d.isAfter(filter.to()); d = d.plusDays(1)) {
                days.add(d.toString());
            }
            return charts.stacked(days, byDay, "usd");
        }
        Map<String, BigDecimal> spend = new LinkedHashMap<>();
        rows.stream().limit(20).forEach(r -> spend.put(r.group(), r.spend()));
        return charts.bars(new ArrayList<>(spend.keySet()), new ArrayList<>(spend.values()), "Spend", "usd");
    }

    /** The current filters as a query string, for the CSV link. */
    private static String query(HttpRequest<?> request) {
        String q = request.getUri().getRawQuery();
        return q == null ? "" : q;
    }

    /** A CSV cell: quoted when it holds a separator or quote; a leading formula character is neutralized. */
    static String cell(String value) {
        String v = value;
        if (!v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        return v.contains(",") || v.contains("\"") || v.contains("\n") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }
}
