package dev.tollgate.tenant.member;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;

/** {@code POST /api/v1/invites/accept}: open to anyone holding an invitation token. */
@Tag(name = "Account")
@Controller("/api/v1/invites")
@Requires(property = "tollgate.tenant-api.enabled", notEquals = "false")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
public class InviteController {

    private final MemberService members;

    public InviteController(MemberService members) {
        this.members = members;
    }

    @Operation(summary = "Accept an invitation: set a password and get an access token")
    @Post("/accept")
    public AcceptedInvite accept(@Valid @Body AcceptInviteCommand command) {
        return members.accept(command);
    }
}
