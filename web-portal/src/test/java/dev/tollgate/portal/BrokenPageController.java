package dev.tollgate.portal;

import dev.tollgate.portal.web.Page;
import dev.tollgate.portal.web.Viewers;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;

/** Test only: a portal page (and a fragment) whose template fails while rendering. */
@Controller("/usage/broken")
@Produces(MediaType.TEXT_HTML)
@Requires(env = Environment.TEST)
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
class BrokenPageController {

    private final Viewers viewers;

    BrokenPageController(Viewers viewers) {
        this.viewers = viewers;
    }

    @Get
    HttpResponse<?> page(Authentication authentication) {
        return Page.of("broken", viewers.of(authentication), "usage").with("title", "Broken").ok();
    }
}
