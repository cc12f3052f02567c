package dev.tollgate.portal.dashboard;

import dev.tollgate.portal.usage.GroupBy;
import dev.tollgate.portal.usage.UsageFilter;
import dev.tollgate.portal.usage.UsageQueries;
import dev.tollgate.portal.usage.UsageSummary;
import dev.tollgate.portal.web.Charts;
import dev.tollgate.portal.web.Page;
import dev.tollgate.portal.web.Viewer;
import dev.tollgate.portal.web.Viewers;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** {@code GET /}: the month so far for the signed-in tenant. */
@Controller
@Produces(MediaType.TEXT_HTML)
@Requires(property = "tollgate.portal.enabled", notEquals = "false")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class DashboardController {

    /** Budget thresholds the dashboard calls out, as billing's alerts do. */
    static final int[] THRESHOLDS = {100, 80, 50};

    private final Viewers viewers;
    private final UsageQueries usage;
    private final Budgets budgets;
    private final Charts charts;

    public DashboardController(Viewers viewers, UsageQueries usage, Budgets budgets, Charts charts) {
        this.viewers = viewers;
        this.usage = usage;
        this.budgets = budgets;
        this.charts = charts;
    }

    @Get
    public HttpResponse<?> dashboard(Authentication authentication, @Nullable @QueryValue String welcome) {
        Viewer viewer = viewers.of(authentication);
        LocalDate today = LocalDate.now(viewer.zone());
        UsageFilter month = new UsageFilter(today.withDayOfMonth(1), today, null, null, null, null);
        UsageSummary summary = usage.summary(viewer.caller().tenantId(), month, viewer.zone());
        BigDecimal budget = budgets.monthlyBudget(viewer.caller().tenantId());
        Integer percent = budget == null || budget.signum() == 0 ? null
                : summary.spend().multiply(BigDecimal.valueOf(100)).divide(budget, 0, RoundingMode.DOWN).intValue();
        Integer crossed = null;
        if (percent != null) {
            for (int t : THRESHOLDS) {
                if (percent >= t) {
                    crossed = t;
                    break;
                }
            }
        }
        List<String> days = new ArrayList<>();
        for (LocalDate d = month.from(); !d.isAfter(today); d = d.plusDays(1)) {
            days.add(d.toString());
        }
        return Page.of("dashboard", viewer, "dashboard")
                .with("title", "Dashboard")
                .with("welcome", welcome != null)
                .with("month", month)
                .with("summary", summary)
                .with("budget", budget)
                .with("percent", percent)
                .with("barPercent", percent == null ? 0 : Math.min(100, percent))
                .with("crossed", crossed)
                .with("chart", charts.stacked(days, usage.dailySpendByModel(viewer.caller().tenantId(), month, viewer.zone()), "usd"))
                .with("topKeys", usage.grouped(viewer.caller().tenantId(), month, GroupBy.KEY, viewer.zone(), 5))
                .with("topProjects", usage.grouped(viewer.caller().tenantId(), month, GroupBy.PROJECT, viewer.zone(), 5))
                .ok();
    }
}
