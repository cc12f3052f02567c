package dev.tollgate.billing.report;

import dev.tollgate.platform.http.ApiException;
import dev.tollgate.platform.security.TenantUser;
import io.micronaut.context.annotation.Requires;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The signed-in user's opt-outs: {@code GET /api/v1/notifications} and
 * {@code PUT /api/v1/notifications} {@code {"spend_spike":bool,"weekly_report":bool}}.
 * The address is the session's e-mail claim; both mails are on until switched off.
 */
@Controller("/api/v1/notifications")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(property = "tollgate.billing.enabled", notEquals = "false")
public class MailPreferenceController {

    private final DataSource dataSource;

    public MailPreferenceController(DataSource dataSource) {
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
    }

    @Get
    public MailPreferences get(Authentication auth) {
        return read(TenantUser.from(auth));
    }

    @Put
    public MailPreferences put(Authentication auth, @Body MailPreferences command) {
        TenantUser user = TenantUser.from(auth);
        if (user.email() == null || !user.email().contains("@")) {
            throw ApiException.badRequest("the session carries no e-mail address", null);
        }
        MailPreferences current = read(user);
        boolean spike = command.spendSpike() == null ? current.spendSpike() : command.spendSpike();
        boolean weekly = command.weeklyReport() == null ? current.weeklyReport() : command.weeklyReport();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     insert into mail_preference (tenant_id, user_id, email, spend_spike, weekly_report) values (?, ?, ?, ?, ?)
                     on conflict (tenant_id, user_id) do update set email = excluded.email, spend_spike = excluded.spend_spike,
                         weekly_report = excluded.weekly_report, updated_at = now()""")) {
            ps.setObject(1, user.tenantId());
            ps.setObject(2, user.userId());
            ps.setString(3, user.email());
            ps.setBoolean(4, spike);
            ps.setBoolean(5, weekly);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot save mail preferences", e);
        }
        return new MailPreferences(user.email(), spike, weekly);
    }

    private MailPreferences read(TenantUser user) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "select spend_spike, weekly_report from mail_preference where tenant_id = ? and user_id = ?")) {
            ps.setObject(1, user.tenantId());
            ps.setObject(2, user.userId());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new MailPreferences(user.email(), rs.getBoolean(1), rs.getBoolean(2))
                        : new MailPreferences(user.email(), true, true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read mail preferences", e);
        }
    }
}
