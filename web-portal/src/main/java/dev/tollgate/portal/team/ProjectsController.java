package dev.tollgate.portal.team;

import dev.tollgate.platform.http.ApiException;
import dev.tollgate.platform.tenant.Limits;
import dev.tollgate.portal.web.Form;
import dev.tollgate.portal.web.Page;
import dev.tollgate.portal.web.Viewer;
import dev.tollgate.portal.web.Viewers;
import dev.tollgate.tenant.project.ProjectCommand;
import dev.tollgate.tenant.project.ProjectService;
import dev.tollgate.tenant.project.ProjectView;
import io.micronaut.context.annotation.Requires;
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

import java.util.Map;
import java.util.UUID;

/** {@code /projects}: through the tenant API's {@link ProjectService} (viewers read, admins change). */
@Controller("/projects")
@Produces(MediaType.TEXT_HTML)
@Requires(property = "tollgate.portal.enabled", notEquals = "false")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class ProjectsController {

    private final Viewers viewers;
    private final ProjectService projects;
    private final Validator validator;

    public ProjectsController(Viewers viewers, ProjectService projects, Validator validator) {
        this.viewers = viewers;
        this.projects = projects;
        this.validator = validator;
    }

    @Get
    public HttpResponse<?> list(Authentication authentication) {
        return page(viewers.of(authentication), Form.empty()).ok();
    }

    @Post
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> create(Authentication authentication, @Body Map<String, String> body) {
        Viewer viewer = viewers.of(authentication);
        Form form = Form.of(body);
        Limits limits = new Limits(form.positiveLong("rpm"), form.positiveLong("tpm"), null, null, null, form.money("budget_usd"));
        ProjectCommand command = form.validate(validator, new ProjectCommand(form.optional("name"), limits));
        if (form.optional("name") == null) {
            form.error("name", "must not be blank");
        }
        if (!form.valid()) {
            return page(viewer, form).with("error", form.summary()).status(HttpStatus.BAD_REQUEST);
        }
        try {
            ProjectView created = projects.create(viewer.caller(), command);
            return page(viewer, Form.empty()).with("notice", "Project \u201c" + created.name() + "\u201d created.").status(HttpStatus.CREATED);
        } catch (ApiException e) {
            return page(viewer, form).with("error", e.getMessage()).status(e.status());
        }
    }

    @Post("/{id}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> delete(Authentication authentication, UUID id) {
        Viewer viewer = viewers.of(authentication);
        try {
            ProjectView project = projects.get(viewer.caller(), id);
            projects.delete(viewer.caller(), id);
            return page(viewer, Form.empty()).with("notice", "Project \u201c" + project.name() + "\u201d deleted and its keys revoked.").ok();
        } catch (ApiException e) {
            return page(viewer, Form.empty()).with("error", e.getMessage()).status(e.status());
        }
    }

    private Page page(Viewer viewer, Form form) {
        return Page.of("projects", viewer, "projects")
                .with("title", "Projects")
                .with("projects", projects.list(viewer.caller()).stream().map(ProjectRow::new).toList())
                .with("form", form);
    }

    /** A project with its limits described. */
    public record ProjectRow(ProjectView project) {
        public String limits() {
            return dev.tollgate.portal.key.KeyRow.describe(project.limits());
        }
    }
}
