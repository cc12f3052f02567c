package dev.tollgate.tenant.account;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Status;
import io.micronaut.http.server.util.HttpClientAddressResolver;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;

/** {@code POST /api/v1/signup} and {@code POST /api/v1/login}, open to anyone. */
@Tag(name = "Account")
@Controller("/api/v1")
@Requires(property = "tollgate.tenant-api.enabled", notEquals = "false")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
public class AccountController {

    private final AccountService accounts;
    private final HttpClientAddressResolver addresses;

    public AccountController(AccountService accounts, HttpClientAddressResolver addresses) {
        this.accounts = accounts;
        this.addresses = addresses;
    }

    @Operation(summary = "Sign up: a new tenant with its owner, a default project and a first API key",
            description = "The API key and the access token appear in this answer only.")
    @Post("/signup")
    @Status(HttpStatus.CREATED)
    public SignupResult signup(@Valid @Body SignupCommand command) {
        return accounts.signup(command);
    }

    @Operation(summary = "Log in and get a bearer access token",
            description = "401 for wrong credentials; 429 with Retry-After after repeated failures.")
    @Post("/login")
    public AccessTokens.AccessToken login(HttpRequest<?> request, @Valid @Body LoginCommand command) {
        String address = addresses.resolve(request);
        return accounts.login(command, address == null ? "unknown" : address);
    }
}
