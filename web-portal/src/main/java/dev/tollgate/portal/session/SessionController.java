package dev.tollgate.portal.session;

import dev.tollgate.platform.http.ApiException;
import dev.tollgate.portal.web.Cookies;
import dev.tollgate.portal.web.Form;
import dev.tollgate.portal.web.Page;
import dev.tollgate.portal.web.PortalPaths;
import dev.tollgate.tenant.account.AccessTokens;
import dev.tollgate.tenant.account.AccountService;
import dev.tollgate.tenant.account.LoginCommand;
import dev.tollgate.tenant.account.SignupCommand;
import dev.tollgate.tenant.account.SignupResult;
import dev.tollgate.tenant.organization.TimeZones;
import dev.tollgate.tenant.member.AcceptInviteCommand;
import dev.tollgate.tenant.member.AcceptedInvite;
import dev.tollgate.tenant.member.MemberService;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.server.util.HttpClientAddressResolver;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import jakarta.validation.Validator;

import java.net.URI;
import java.util.Map;

/**
 * {@code /signup}, {@code /login}, {@code /logout} and {@code /invites/accept}. A successful
 * sign-up, login or acceptance sets the session cookie and redirects (303) to the dashboard or
 * to the page the visitor came for; a failure shows the form again with the message.
 */
@Controller
@Produces(MediaType.TEXT_HTML)
@Requires(property = "tollgate.portal.enabled", notEquals = "false")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
public class SessionController {

    private final AccountService accounts;
    private final MemberService members;
    private final Cookies cookies;
    private final Validator validator;
    private final HttpClientAddressResolver addresses;

    public SessionController(AccountService accounts, MemberService members, Cookies cookies, Validator validator,
                             HttpClientAddressResolver addresses) {
        this.accounts = accounts;
        this.members = members;
        this.cookies = cookies;
        this.validator = validator;
        this.addresses = addresses;
    }

    @Get("/login")
    public HttpResponse<?> loginPage(@Nullable Authentication authentication, @Nullable @QueryValue String next,
                                     @Nullable @QueryValue("signed_out") String signedOut) {
        if (authentication != null) {
            return redirect(safeNext(next));
        }
        return Page.anonymous("login").with("form", Form.empty().set("next", safeNext(next)))
                .with("signedOut", signedOut != null).ok();
    }

    @Post("/login")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> login(HttpRequest<?> request, @Body Map<String, String> body) {
        Form form = Form.of(body);
        LoginCommand command = form.validate(validator, new LoginCommand(form.text("email"), form.text("password")));
        form.values().remove("password");
        if (!form.valid()) {
            return login(form, "Enter your e-mail address and password.", HttpStatus.BAD_REQUEST);
        }
        try {
            String address = addresses.resolve(request);
            AccessTokens.AccessToken token = accounts.login(command, address == null ? "unknown" : address);
            return signedIn(request, token.accessToken(), token.expiresIn(), safeNext(form.optional("next")));
        } catch (ApiException e) {
            return login(form, e.getMessage(), e.status());
        }
    }

    @Get("/signup")
    public HttpResponse<?> signupPage(@Nullable Authentication authentication) {
        if (authentication != null) {
            return redirect("/");
        }
        return signup(Form.empty(), null, HttpStatus.OK);
    }

    @Post("/signup")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> signup(HttpRequest<?> request, @Body Map<String, String> body) {
        Form form = Form.of(body);
        SignupCommand command = form.validate(validator,
                new SignupCommand(form.text("email"), form.text("password"), form.text("organization"), form.optional("time_zone")));
        form.values().remove("password");
        if (!form.valid()) {
            return signup(form, form.summary(), HttpStatus.BAD_REQUEST);
        }
        try {
            SignupResult result = accounts.signup(command);
            // the first key's secret is not shown here: the keys page creates keys and shows each secret once
            return signedIn(request, result.accessToken(), result.expiresIn(), "/?welcome=1");
        } catch (ApiException e) {
            form.errors(e);
            return signup(form, e.getMessage(), e.status());
        }
    }

    @Post("/logout")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> logout(HttpRequest<?> request) {
        return redirect("/login?signed_out=1").cookie(cookies.clearSession(request));
    }

    @Get("/invites/accept")
    public HttpResponse<?> invitePage(@Nullable @QueryValue String token) {
        return invite(Form.empty().set("token", token == null ? "" : token), null, HttpStatus.OK);
    }

    @Post("/invites/accept")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> accept(HttpRequest<?> request, @Body Map<String, String> body) {
        Form form = Form.of(body);
        AcceptInviteCommand command = form.validate(validator, new AcceptInviteCommand(form.text("token"), form.text("password")));
        form.values().remove("password");
        if (!form.valid()) {
            return invite(form, form.summary(), HttpStatus.BAD_REQUEST);
        }
        try {
            AcceptedInvite accepted = members.accept(command);
            return signedIn(request, accepted.accessToken(), accepted.expiresIn(), "/");
        } catch (ApiException e) {
            return invite(form, e.getMessage(), e.status());
        }
    }

    private MutableHttpResponse<?> signedIn(HttpRequest<?> request, String token, long expiresIn, String next) {
        return redirect(next).cookie(cookies.session(request, token, expiresIn));
    }

    private static HttpResponse<?> login(Form form, @Nullable String error, HttpStatus status) {
        return Page.anonymous("login").with("form", form).with("error", error).status(status);
    }

    private static HttpResponse<?> signup(Form form, @Nullable String error, HttpStatus status) {
        return Page.anonymous("signup").with("form", form).with("zones", TimeZones.choices()).with("error", error).status(status);
    }

    private static HttpResponse<?> invite(Form form, @Nullable String error, HttpStatus status) {
        return Page.anonymous("invite").with("form", form).with("error", error).status(status);
    }

    private static MutableHttpResponse<?> redirect(String location) {
        return HttpResponse.seeOther(URI.create(location));
    }

    /** Only a path of this portal: never another site ({@code //evil}, {@code https://…}) after login. */
    static String safeNext(@Nullable String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.contains("\\")
                || next.chars().anyMatch(Character::isISOControl)) {
            return "/";
        }
        String path = next.contains("?") ? next.substring(0, next.indexOf('?')) : next;
        return PortalPaths.isPortal(path) && !path.startsWith("/login") && !path.startsWith("/logout") ? next : "/";
    }
}
