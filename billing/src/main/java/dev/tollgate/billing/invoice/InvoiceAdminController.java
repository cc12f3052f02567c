package dev.tollgate.billing.invoice;

import dev.tollgate.platform.http.ApiException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;

/**
 * Operators settle local invoices: {@code POST /admin/v1/invoices/{id}/pay} (open → paid) and
 * {@code POST /admin/v1/invoices/{id}/void} (draft or open → void). Stripe invoices change only
 * through Stripe's webhooks (409 here).
 */
@Controller("/admin/v1/invoices")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(property = "tollgate.billing.enabled", notEquals = "false")
public class InvoiceAdminController {

    private final DataSource dataSource;

    public InvoiceAdminController(DataSource dataSource) {
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
    }

    @Post("/{id}/pay")
    public Map<String, Object> pay(@PathVariable String id) {
        return transition(id, "paid", "open");
    }

    @Post("/{id}/void")
    public Map<String, Object> voidInvoice(@PathVariable String id) {
        return transition(id, "void", "draft", "open");
    }

    private Map<String, Object> transition(String idText, String to, String... from) {
        UUID id;
        try {
            id = UUID.fromString(idText);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("no such invoice " + idText, "not_found");
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement sel = c.prepareStatement("select source, status from invoice where id = ? for update");
                 PreparedStatement up = c.prepareStatement("""
                         update invoice set status = ?, state_rank = 2, updated_at = now(),
                                paid_at = case when ? = 'paid' then now() end,
                                amount_paid_usd = case when ? = 'paid' then amount_due_usd else amount_paid_usd end,
                                voided_at = case when ? = 'void' then now() end
                          where id = ?""")) {
                sel.setObject(1, id);
                String source;
                String status;
                try (ResultSet rs = sel.executeQuery()) {
                    if (!rs.next()) {
                        throw ApiException.notFound("no such invoice " + idText, "not_found");
                    }
                    source = rs.getString(1);
                    status = rs.getString(2);
                }
                if (!source.equals("local")) {
                    throw ApiException.conflict("Stripe invoices change through Stripe", "stripe_invoice");
                }
                if (!java.util.List.of(from).contains(status)) {
                    throw ApiException.conflict("a " + status + " invoice cannot become " + to, "invalid_status");
                }
                up.setString(1, to);
                up.setString(2, to);
                up.setString(3, to);
                up.setString(4, to);
                up.setObject(5, id);
                up.executeUpdate();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot change invoice", e);
        }
        return Map.of("id", id.toString(), "status", to);
    }
}
