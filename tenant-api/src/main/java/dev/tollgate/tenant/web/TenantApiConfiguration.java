package dev.tollgate.tenant.web;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * Settings of the tenant API ({@code tollgate.tenant-api.*}); every one has a default.
 *
 * @param bcryptCost             bcrypt cost factor for passwords (tests may lower it; 10–14 in production)
 * @param accessTokenTtl         lifetime of an access token issued by login, sign-up or invite acceptance
 * @param loginMaxFailuresPerEmail failed logins for one e-mail within the window before 429
 * @param loginMaxFailuresPerIp  failed logins from one client address within the window before 429
 * @param loginFailureWindow     how long failed logins are remembered (and the longest lock-out)
 * @param inviteTtl              how long an invitation link stays valid
 * @param inviteUrl              the page the invitation e-mail links to; {@code ?token=…} is appended
 * @param defaultRotationGrace   how long an old key secret keeps working after a rotation without {@code grace_seconds}
 * @param maxRotationGrace       the longest grace a rotation may ask for
 * @param maxBodyBytes           largest request body accepted on {@code /api/**} and {@code /admin/**}
 */
@ConfigurationProperties("tollgate.tenant-api")
public record TenantApiConfiguration(
        @Bindable(defaultValue = "12") int bcryptCost,
        @Bindable(defaultValue = "1h") Duration accessTokenTtl,
        @Bindable(defaultValue = "5") int loginMaxFailuresPerEmail,
        @Bindable(defaultValue = "20") int loginMaxFailuresPerIp,
        @Bindable(defaultValue = "15m") Duration loginFailureWindow,
        @Bindable(defaultValue = "7d") Duration inviteTtl,
        @Bindable(defaultValue = "http://localhost:8080/invites/accept") String inviteUrl,
        @Bindable(defaultValue = "1h") Duration defaultRotationGrace,
        @Bindable(defaultValue = "7d") Duration maxRotationGrace,
        @Bindable(defaultValue = "1048576") long maxBodyBytes) {
}
