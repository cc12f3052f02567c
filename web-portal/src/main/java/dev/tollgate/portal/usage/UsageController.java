package dev.tollgate.portal.usage;

import dev.tollgate.portal.web.Charts;
import dev.tollgate.portal.web.Page;
import dev.tollgate.portal.web.PortalConfiguration;
import dev.tollgate.portal.web.PortalPaths;
import dev.tollgate.portal.web.Viewer;
import dev.tollgate.portal.web.Viewers;
import dev.tollgate.tenant.key.KeyService;
import dev.tollgate.tenant.project.ProjectService;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code /usage} (the usage explorer), {@code /usage.csv} (its table as CSV) and
 * {@code /requests} (the request log, with a detail view per request). Readable by every role.
 */
@Controller
@Produces(MediaType.TEXT_HTML)
@Requires(property = "tollgate.portal.enabled", notEquals = "false")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class UsageController {

    /** The longest range the explorer reads at once. */
    static final long MAX_DAYS = 366;
    private static final int MAX_GROUPS = 1000;

    private final Viewers viewers;
    private final UsageQueries usage;
    private final KeyService keys;
    private final ProjectService projects;
    private final Charts charts;
    private final PortalConfiguration configuration;

    public UsageController(Viewers viewers, UsageQueries usage, KeyService keys, ProjectService projects, Charts charts,
                           PortalConfiguration configuration) {
        this.viewers = viewers;
        this.usage = usage;
        this.keys = keys;
        this.projects = projects;
        this.charts = charts;
        this.configuration = configuration;
    }

    @Get("/usage")
    public HttpResponse<?> explorer(HttpRequest<?> request, Authentication authentication) {
        Viewer viewer = viewers.of(authentication);
        List<String> problems = new ArrayList<>();
        UsageFilter filter = filter(request, viewer, 30, problems);
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
        UsageFilter filter = filter(request, viewer, 30, new ArrayList<>());
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

    @Get("/requests")
    public HttpResponse<?> log(HttpRequest<?> request, Authentication authentication) {
        Viewer viewer = viewers.of(authentication);
        List<String> problems = new ArrayList<>();
        UsageFilter filter = filter(request, viewer, 7, problems);
        return Page.of("requests", viewer, "requests")
                .with("title", "Request log")
                .with("filter", filter)
                .with("rows", usage.recent(viewer.caller().tenantId(), filter, viewer.zone(), configuration.pageSize()))
                .with("pageSize", configuration.pageSize())
                .with("problems", problems)
                .with("keys", keys.list(viewer.caller(), null))
                .with("projects", projects.list(viewer.caller()))
                .with("models", usage.models(viewer.caller().tenantId(), filter, viewer.zone()))
                .ok();
    }

    @Get("/requests/{requestId}")
    public HttpResponse<?> detail(Authentication authentication, String requestId) {
        Viewer viewer = viewers.of(authentication);
        return usage.request(viewer.caller().tenantId(), requestId)
                .<HttpResponse<?>>map(r -> Page.of("request", viewer, "requests").with("title", "Request " + r.requestId()).with("r", r).ok())
                .orElseGet(() -> HttpResponse.notFound(dev.tollgate.platform.http.ErrorBody.of(
                        "No such request in your organization's log", "not_found_error", null, "request_not_found")));
    }

    /** The playground's cost line: polls (htmx) until the gateway's meter has written the event. */
    @Get("/requests/{requestId}/cost")
    public HttpResponse<?> cost(Authentication authentication, String requestId) {
        Viewer viewer = viewers.of(authentication);
        return Page.of("request", viewer, "playground")
                .with("requestId", requestId)
                .with("r", usage.request(viewer.caller().tenantId(), requestId).orElse(null))
                .fragment("cost").ok();
    }

    private static UsageFilter filter(HttpRequest<?> request, Viewer viewer, int defaultDays, List<String> problems) {
        LocalDate today = LocalDate.now(viewer.zone());
        LocalDate to = date(request.getParameters().get("to"), today, "to", problems);
        LocalDate from = date(request.getParameters().get("from"), to.minusDays(defaultDays - 1), "from", problems);
        if (from.isAfter(to)) {
            problems.add("The start date was after the end date; they were swapped.");
            LocalDate t = from;
            from = to;
            to = t;
        }
        if (ChronoUnit.DAYS.between(from, to) >= MAX_DAYS) {
            problems.add("At most " + MAX_DAYS + " days at once; the range was shortened.");
            from = to.minusDays(MAX_DAYS - 1);
        }
        return new UsageFilter(from, to, uuid(request.getParameters().get("project")), uuid(request.getParameters().get("key")),
                blankToNull(request.getParameters().get("model")), blankToNull(request.getParameters().get("outcome")));
    }

    private static LocalDate date(@Nullable String value, LocalDate fallback, String name, List<String> problems) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return LocalDate.parse(value.trim());
        } catch (DateTimeParseException e) {
            problems.add("\u201c" + name + "\u201d is not a date such as 2026-01-31; showing " + fallback + " instead.");
            return fallback;
        }
    }

    @Nullable
    private static UUID uuid(@Nullable String value) {
        try {
            return value == null || value.isBlank() ? null : UUID.fromString(value.trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Nullable
    private static String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.trim();
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
