package dev.tollgate.portal.budget;

import dev.tollgate.billing.budget.Budget;
import dev.tollgate.billing.budget.BudgetCommand;
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
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * {@code /budgets}: the monthly budgets of the organization, its projects and keys with this
 * period's spend, and the form that sets one (amount, alert thresholds in percent, recipients,
 * hard cap) through billing's {@link BudgetService}. Every role reads; admins and owners change.
 * A project or key of another tenant is "not found". The form is read into billing's
 * {@link BudgetCommand} (thresholds entered as percentages), whose rules are those of
 * {@code PUT /api/v1/.../budget}.
 */
@Controller("/budgets")
@Produces(MediaType.TEXT_HTML)
@Requires(property = "tollgate.portal.enabled", notEquals = "false")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class BudgetsController {

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
            BudgetCommand command = new BudgetCommand(form.money("monthly_usd"), thresholds(form), emails(form), form.checked("hard_cap"));
            form.errors(command.problems());
            if (!form.valid()) {
                return page(viewer, targets, form).with("error", form.summary()).status(HttpStatus.BAD_REQUEST);
            }
            budgets.save(viewer.caller().tenantId(), target.scope(), target.scopeId(), command);
            return page(viewer, targets, formFor(viewer, target))
                    .with("notice", "Budget for " + target.kind().toLowerCase() + " \u201c" + target.name() + "\u201d saved.")
                    .ok();
        } catch (ApiException e) {
            form.errors(e);
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

    /** Percentages ("50, 80%, 100") as fractions of the budget; null (with a field error) when one is not a number. */
    @Nullable
    private static List<BigDecimal> thresholds(Form form) {
        List<BigDecimal> fractions = new ArrayList<>();
        for (String part : form.text("thresholds").split("[,;\\s]+")) {
            String percent = part.replace("%", "");
            if (percent.isBlank()) {
                continue;
            }
            try {
                fractions.add(new BigDecimal(percent).movePointLeft(2));
            } catch (NumberFormatException e) {
                form.error("thresholds", "enter percentages of the budget separated by commas, such as 50, 80, 100");
                return null;
            }
        }
        return fractions;
    }

    /** The addresses as typed, separated by commas, semicolons or spaces. */
    private static List<String> emails(Form form) {
        return Arrays.stream(form.text("alert_emails").split("[,;\\s]+")).filter(s -> !s.isBlank()).toList();
    }
}
