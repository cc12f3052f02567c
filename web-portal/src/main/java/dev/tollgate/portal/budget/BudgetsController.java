package dev.tollgate.portal.budget;

import dev.tollgate.billing.budget.Budget;
import dev.tollgate.billing.budget.BudgetService;
import dev.tollgate.platform.http.ApiException;
import dev.tollgate.platform.security.Role;
import dev.tollgate.portal.web.Form;
import dev.tollgate.portal.web.Page;
import dev.tollgate.portal.web.Viewer;
import dev.tollgate.portal.web.Viewers;
import dev.tollgate.tenant.key.KeyService;
import dev.tollgate.tenant.key.KeyView;
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
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code /budgets}: the monthly budgets of the organization, its projects and keys with this
 * period's spend, and the form that sets one (amount, alert thresholds in percent, recipients,
 * hard cap) through billing's {@link BudgetService}. Every role reads; admins and owners change.
 * A project or key of another tenant is "not found". The input rules are those of billing's
 * {@code PUT /api/v1/.../budget}, with thresholds entered as percentages.
 */
@Controller("/budgets")
@Produces(MediaType.TEXT_HTML)
@Requires(property = "tollgate.portal.enabled", notEquals = "false")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class BudgetsController {

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    private static final int MAX_EMAILS = 20;
    private static final BigDecimal MAX_PERCENT = BigDecimal.valueOf(1000);
    private static final String DEFAULT_THRESHOLDS = "50, 80, 100";

    private final Viewers viewers;
    private final BudgetService budgets;
    private final BudgetOverview overview;
    private final KeyService keys;
    private final ProjectService projects;

    public BudgetsController(Viewers viewers, BudgetService budgets, BudgetOverview overview, KeyService keys,
                             ProjectService projects) {
        this.viewers = viewers;
        this.budgets = budgets;
        this.overview = overview;
        this.keys = keys;
        this.projects = projects;
    }

    @Get
    public HttpResponse<?> list(Authentication authentication, @Nullable @QueryValue String target) {
        Viewer viewer = viewers.of(authentication);
        List<BudgetTarget> targets = targets(viewer);
        BudgetTarget selected = targets.stream().filter(t -> t.value().equals(target)).findFirst().orElse(targets.get(0));
        return page(viewer, targets, formFor(viewer, selected)).ok();
    }

    @Post
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> save(Authentication authentication, @Body Map<String, String> body) {
        Viewer viewer = viewers.of(authentication);
        List<BudgetTarget> targets = targets(viewer);
        Form form = Form.of(body);
        try {
            viewer.caller().requireChange(Role.ADMIN);
            BudgetTarget target = target(viewer, targets, form.text("target"));
            BigDecimal monthly = monthly(form);
            List<BigDecimal> thresholds = thresholds(form);
            List<String> emails = emails(form);
            if (!form.valid()) {
                return page(viewer, targets, form).with("error", form.summary()).status(HttpStatus.BAD_REQUEST);
            }
            budgets.save(viewer.caller().tenantId(), target.scope(), target.scopeId(), monthly, thresholds, emails,
                    form.checked("hard_cap"));
            return page(viewer, targets, formFor(viewer, target))
                    .with("notice", "Budget for " + target.kind().toLowerCase() + " \u201c" + target.name() + "\u201d saved.")
                    .ok();
        } catch (ApiException e) {
            form.errors(e.body().error().fields());
            return page(viewer, targets, form).with("error", e.getMessage()).status(e.status());
        }
    }

    /** The organization first, then its projects and its keys that are not revoked. */
    private List<BudgetTarget> targets(Viewer viewer) {
        List<BudgetTarget> targets = new ArrayList<>();
        targets.add(new BudgetTarget("tenant", viewer.caller().tenantId(), viewer.organization()));
        for (ProjectView p : projects.list(viewer.caller())) {
            targets.add(new BudgetTarget("project", p.id(), p.name()));
        }
        for (KeyView k : keys.list(viewer.caller(), null)) {
            if (!"revoked".equals(k.status())) {
                targets.add(new BudgetTarget("key", k.id(), k.name() + " (" + k.prefix() + "_\u2026)"));
            }
        }
        return targets;
    }

    private static BudgetTarget target(Viewer viewer, List<BudgetTarget> targets, String value) {
        return targets.stream().filter(t -> t.value().equals(value)).findFirst()
                .orElseThrow(() -> ApiException.notFound("No such project or key in your organization", "budget_target_not_found"));
    }

    private Page page(Viewer viewer, List<BudgetTarget> targets, Form form) {
        BudgetService.Period period = overview.period(viewer.caller().tenantId());
        List<BudgetRow> rows = new ArrayList<>();
        for (BudgetTarget t : targets) {
            overview.row(viewer.caller().tenantId(), t, period).ifPresent(rows::add);
        }
        return Page.of("budgets", viewer, "budgets")
                .with("title", "Budgets and alerts")
                .with("period", period)
                .with("rows", rows)
                .with("targets", targets)
                .with("form", form);
    }

    /** The form for a target: its budget when it has one, else the defaults with the viewer as recipient. */
    private Form formFor(Viewer viewer, BudgetTarget target) {
        Optional<Budget> budget = budgets.find(viewer.caller().tenantId(), target.scope(), target.scopeId());
        Form form = Form.empty().set("target", target.value());
        if (budget.isPresent()) {
            Budget b = budget.get();
            form.set("monthly_usd", b.monthlyUsd().stripTrailingZeros().toPlainString())
                    .set("thresholds", b.thresholds().stream().map(BudgetOverview::percent).collect(Collectors.joining(", ")))
                    .set("alert_emails", String.join(", ", b.alertEmails()))
                    .set("hard_cap", b.hardCap() ? "on" : "");
        } else {
            form.set("thresholds", DEFAULT_THRESHOLDS).set("alert_emails", viewer.email());
        }
        return form;
    }

    @Nullable
    private static BigDecimal monthly(Form form) {
        if (form.optional("monthly_usd") == null) {
            form.error("monthly_usd", "enter the monthly budget in USD, such as 100");
            return null;
        }
        BigDecimal amount = form.money("monthly_usd");
        if (amount != null && (amount.signum() <= 0 || amount.stripTrailingZeros().scale() > 4)) {
            form.error("monthly_usd", "must be above 0, with at most 4 decimals");
            return null;
        }
        return amount == null ? null : amount.stripTrailingZeros();
    }

    /** Percentages ("50, 80, 100") as fractions of the budget, sorted and without duplicates. */
    private static List<BigDecimal> thresholds(Form form) {
        String message = "enter percentages of the budget separated by commas, such as 50, 80, 100 (each above 0 and at most 1000)";
        List<String> parts = Arrays.stream(form.text("thresholds").split("[,;\\s]+")).map(s -> s.replace("%", ""))
                .filter(s -> !s.isBlank()).toList();
        if (parts.isEmpty() || parts.size() > 20) {
            form.error("thresholds", message);
            return List.of();
        }
        TreeSet<BigDecimal> fractions = new TreeSet<>();
        for (String p : parts) {
            try {
                BigDecimal percent = new BigDecimal(p);
                BigDecimal fraction = percent.movePointLeft(2).stripTrailingZeros();
                if (percent.signum() <= 0 || percent.compareTo(MAX_PERCENT) > 0 || fraction.scale() > 4) {
                    form.error("thresholds", message);
                    return List.of();
                }
                fractions.add(fraction);
            } catch (NumberFormatException e) {
                form.error("thresholds", message);
                return List.of();
            }
        }
        return new ArrayList<>(fractions);
    }

    private static List<String> emails(Form form) {
        List<String> emails = Arrays.stream(form.text("alert_emails").split("[,;\\s]+")).filter(s -> !s.isBlank())
                .distinct().toList();
        if (emails.size() > MAX_EMAILS || emails.stream().anyMatch(e -> !EMAIL.matcher(e).matches())) {
            form.error("alert_emails", "up to " + MAX_EMAILS + " e-mail addresses separated by commas");
        }
        return emails;
    }
}
