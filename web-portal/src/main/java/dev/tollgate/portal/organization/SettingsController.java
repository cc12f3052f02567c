package dev.tollgate.portal.organization;

import dev.tollgate.platform.http.ApiException;
import dev.tollgate.portal.web.Form;
import dev.tollgate.portal.web.Page;
import dev.tollgate.portal.web.Viewer;
import dev.tollgate.portal.web.Viewers;
import dev.tollgate.tenant.organization.OrganizationPatch;
import dev.tollgate.tenant.organization.OrganizationService;
import dev.tollgate.tenant.organization.OrganizationView;
import dev.tollgate.tenant.organization.TimeZones;
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

/**
 * {@code /settings}: the organization's name, plan and time zone through the tenant API's
 * {@link OrganizationService}, which checks the role (owners and admins change, everyone reads),
 * validates the zone and has the gateways drop the tenant's cached keys when it changes.
 */
@Controller("/settings")
@Produces(MediaType.TEXT_HTML)
@Requires(property = "tollgate.portal.enabled", notEquals = "false")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class SettingsController {

    private final Viewers viewers;
    private final OrganizationService organizations;
    private final Validator validator;

    public SettingsController(Viewers viewers, OrganizationService organizations, Validator validator) {
        this.viewers = viewers;
        this.organizations = organizations;
        this.validator = validator;
    }

    @Get
    public HttpResponse<?> show(Authentication authentication) {
        Viewer viewer = viewers.of(authentication);
        OrganizationView organization = organizations.get(viewer.caller());
        return page(viewer, organization, filled(organization)).ok();
    }

    @Post
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> update(Authentication authentication, @Body Map<String, String> body) {
        Viewer viewer = viewers.of(authentication);
        Form form = Form.of(body);
        OrganizationPatch patch = form.validate(validator, new OrganizationPatch(form.text("name"), form.text("time_zone")));
        if (!form.valid()) {
            return page(viewer, organizations.get(viewer.caller()), form).with("error", form.summary()).status(HttpStatus.BAD_REQUEST);
        }
        try {
            OrganizationView updated = organizations.update(viewer.caller(), patch);
            // the layout shows the organization's name and formats times in its zone: read the viewer again
            return page(viewers.of(authentication), updated, filled(updated)).with("notice", "Organization settings saved.").ok();
        } catch (ApiException e) {
            form.errors(e);
            return page(viewer, organizations.get(viewer.caller()), form).with("error", e.getMessage()).status(e.status());
        }
    }

    private static Form filled(OrganizationView organization) {
        return Form.empty().set("name", organization.name()).set("time_zone", organization.timeZone());
    }

    private static Page page(Viewer viewer, OrganizationView organization, Form form) {
        return Page.of("settings", viewer, "settings")
                .with("title", "Organization settings")
                .with("organization", organization)
                .with("form", form)
                .with("zones", TimeZones.choices());
    }
}
