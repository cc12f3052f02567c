package dev.tollgate.portal.playground;

import dev.tollgate.portal.web.Page;
import dev.tollgate.portal.web.Viewer;
import dev.tollgate.portal.web.Viewers;
import dev.tollgate.tenant.key.KeyService;
import io.micronaut.context.annotation.Requires;
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

import java.util.List;

/**
 * {@code /playground}. Key secrets are never stored in clear, so the page cannot pick one for the
 * user: they paste a key (or arrive from the keys page, which hands the new secret over in the
 * tab's session storage) and the browser calls the gateway with it.
 */
@Controller("/playground")
@Produces(MediaType.TEXT_HTML)
@Requires(property = "tollgate.portal.enabled", notEquals = "false")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class PlaygroundController {

    /** Models suggested before the gateway's model list has loaded. */
    static final List<String> SUGGESTED = List.of("gpt-4o-mini", "gpt-4o", "claude-3-5-haiku-latest", "gemini-2.0-flash");

    private final Viewers viewers;
    private final KeyService keys;

    public PlaygroundController(Viewers viewers, KeyService keys) {
        this.viewers = viewers;
        this.keys = keys;
    }

    @Get
    public HttpResponse<?> playground(Authentication authentication) {
        Viewer viewer = viewers.of(authentication);
        return Page.of("playground", viewer, "playground")
                .with("title", "Playground")
                .with("keys", keys.list(viewer.caller(), null).stream().filter(k -> "active".equals(k.status())).toList())
                .with("suggested", SUGGESTED)
                .ok();
    }
}
