package dev.tollgate.portal.web;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * Settings of the portal ({@code tollgate.portal.*}); every one has a default. The session
 * cookie's name must equal {@code micronaut.security.token.cookie.cookie-name}, so that
 * Micronaut Security's cookie token reader authenticates the portal's requests.
 *
 * @param sessionCookie  name of the cookie holding the session's access token (HttpOnly, SameSite=Lax)
 * @param csrfCookie     name of the cookie holding the CSRF seed (HttpOnly, SameSite=Lax)
 * @param secureCookies  {@code always}: cookies are always {@code Secure}; {@code auto}: when the
 *                       request came over TLS or with {@code X-Forwarded-Proto: https}
 * @param mailbox        show the mailbox page (the tenant's e-mails in the outbox); unset: only
 *                       in the embedded mode ({@code tollgate.mode} not {@code external})
 * @param pageSize       rows of the request log and mailbox lists
 */
@ConfigurationProperties("tollgate.portal")
public record PortalConfiguration(@Bindable(defaultValue = "tg_session") String sessionCookie,
                                  @Bindable(defaultValue = "tg_csrf") String csrfCookie,
                                  @Bindable(defaultValue = "auto") String secureCookies,
                                  @Nullable Boolean mailbox,
                                  @Bindable(defaultValue = "100") int pageSize) {
}
