package dev.tollgate.tenant.member;

import dev.tollgate.tenant.web.Callers;
import dev.tollgate.tenant.web.ListView;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;

import java.util.UUID;

/** {@code /api/v1/members}: members and pending invitations of the signed-in tenant. */
@Tag(name = "Members")
@SecurityRequirement(name = "tenantToken")
@Controller("/api/v1/members")
@Requires(property = "tollgate.tenant-api.enabled", notEquals = "false")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class MemberController {

    private final Callers callers;
    private final MemberService members;

    public MemberController(Callers callers, MemberService members) {
        this.callers = callers;
        this.members = members;
    }

    @Operation(operationId = "listMembers", summary = "List the tenant's members")
    @Get
    public ListView<MemberView> list(Authentication authentication) {
        return new ListView<>(members.list(callers.of(authentication)));
    }

    @Operation(operationId = "inviteMember", summary = "Invite a member by e-mail")
    @Post
    @Status(HttpStatus.CREATED)
    public MemberView invite(Authentication authentication, @Valid @Body InviteCommand command) {
        return members.invite(callers.of(authentication), command);
    }

    @Operation(operationId = "changeMemberRole", summary = "Change a member's role")
    @Patch("/{id}")
    public MemberView changeRole(Authentication authentication, UUID id, @Valid @Body RoleCommand command) {
        return members.changeRole(callers.of(authentication), id, command);
    }

    @Operation(operationId = "removeMember", summary = "Remove a member",
            responses = @ApiResponse(responseCode = "204", description = "done, no content"))
    @Delete("/{id}")
    public HttpResponse<Void> remove(Authentication authentication, UUID id) {
        members.remove(callers.of(authentication), id);
        return HttpResponse.noContent();
    }
}
