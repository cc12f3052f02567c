package dev.tollgate.billing.report;

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Who receives a tenant's optional billing mails: the tenant budget's alert addresses, the
 * tenant's owners and admins (from the tenant API's {@code membership} / {@code app_user}
 * tables when they exist; billing does not depend on that module), and users who saved their
 * preferences with the mail switched on; minus every address whose user switched it off.
 */
@Singleton
public class Recipients {

    /** The optional mails, each a column of {@code mail_preference}. */
    public enum Kind {
        SPEND_SPIKE("spend_spike"), WEEKLY_REPORT("weekly_report");

        final String column;

        Kind(String column) {
            this.column = column;
        }
    }

    private final DataSource dataSource;

    public Recipients(DataSource dataSource) {
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
    }

    /** The addresses for {@code kind}, lower-cased, sorted, without opt-outs. */
    public List<String> of(UUID tenantId, Kind kind) {
        try (Connection c = dataSource.getConnection()) {
            boolean members;
            try (PreparedStatement ps = c.prepareStatement(
                    "select to_regclass('membership') is not null and to_regclass('app_user') is not null");
                 ResultSet rs = ps.executeQuery()) {
                members = rs.next() && rs.getBoolean(1);
            }
            String sql = """
                    select distinct lower(x.e) from (
                        select unnest(alert_emails) as e from budget where tenant_id = ? and scope = 'tenant'
                        union all select email from mail_preference where tenant_id = ? and %1$s
                        %2$s
                    ) x
                    where x.e like '%%@%%' and not exists (
                        select 1 from mail_preference p where p.tenant_id = ? and lower(p.email) = lower(x.e) and not p.%1$s)
                    order by 1""".formatted(kind.column, members ? """
                    union all select u.email from membership m join app_user u on u.id = m.user_id
                               where m.tenant_id = ? and m.role in ('owner', 'admin')""" : "");
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                ps.setObject(i++, tenantId);
                ps.setObject(i++, tenantId);
                if (members) {
                    ps.setObject(i++, tenantId);
                }
                ps.setObject(i, tenantId);
                List<String> list = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        list.add(rs.getString(1));
                    }
                }
                return list;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read mail recipients", e);
        }
    }
}
