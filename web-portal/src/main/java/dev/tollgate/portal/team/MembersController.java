package dev.tollgate.portal.team;

import dev.tollgate.platform.http.ApiException;
import dev.tollgate.portal.web.Form;
import dev.tollgate.portal.web.Page;
import dev.tollgate.portal.web.Viewer;
import dev.tollgate.portal.web.Viewers;
import dev.tollgate.tenant.member.InviteCommand;
import dev.tollgate.tenant.member.MemberService;
import dev.tollgate.tenant.member.MemberView;
import dev.tollgate.tenant.member.RoleCommand;
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

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** {@code /members}: through the tenant API's {@link MemberService} (admins change, owners manage owners). */
@Controller("/members")
@Produces(MediaType.TEXT_HTML)
@Requires(property = "tollgate.portal.enabled", notEquals = "false")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class MembersController {

    static final List<String> ROLES = List.of("viewer", "member", "admin", "owner");

    private final Viewers viewers;
    private final MemberService members;
    private final Validator validator;

    public MembersController(Viewers viewers, MemberService members, Validator validator) {
        this.viewers = viewers;
        this.members = members;
        this.validator = validator;
    }

    @Get
    public HttpResponse<?> list(Authentication authentication) {
        return page(viewers.of(authentication), Form.empty()).ok();
    }

    @Post
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> invite(Authentication authentication, @Body Map<String, String> body) {
        Viewer viewer = viewers.of(authentication);
        Form form = Form.of(body);
        InviteCommand command = form.validate(validator, new InviteCommand(form.text("email"), form.text("role")));
        if (!form.valid()) {
            return page(viewer, form).with("error", form.summary()).status(HttpStatus.BAD_REQUEST);
        }
        try {
            MemberView invited = members.invite(viewer.caller(), command);
            return page(viewer, Form.empty()).with("notice", "Invitation sent to " + invited.email() + " as " + invited.role() + ".")
                    .status(HttpStatus.CREATED);
        } catch (ApiException e) {
            return page(viewer, form).with("error", e.getMessage()).status(e.status());
        }
    }

    @Post("/{id}/role")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> role(Authentication authentication, UUID id, @Body Map<String, String> body) {
        Viewer viewer = viewers.of(authentication);
        Form form = Form.of(body);
        RoleCommand command = form.validate(validator, new RoleCommand(form.text("role")));
        try {
            if (!form.valid()) {
                throw ApiException.badRequest("Choose one of the roles viewer, member, admin or owner", "role");
            }
            MemberView changed = members.changeRole(viewer.caller(), id, command);
            return page(viewer, Form.empty()).with("notice", changed.email() + " is now " + changed.role() + ".").ok();
        } catch (ApiException e) {
            return page(viewer, Form.empty()).with("error", e.getMessage()).status(e.status());
        }
    }

    @Post("/{id}/remove")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> remove(Authentication authentication, UUID id) {
        Viewer viewer = viewers.of(authentication);
        try {
            members.remove(viewer.caller(), id);
            return page(viewer, Form.empty()).with("notice", "Removed.").ok();
        } catch (ApiException e) {
            return page(viewer, Form.empty()).with("error", e.getMessage()).status(e.status());
        }
    }

    private Page page(Viewer viewer, Form form) {
        return Page.of("members", viewer, "members")
                .with("title", "Members")
                .with("members", members.list(viewer.caller()))
                .with("roles", viewer.owner() ? ROLES : ROLES.subList(0, 3))
                .with("form", form);
    }
}
