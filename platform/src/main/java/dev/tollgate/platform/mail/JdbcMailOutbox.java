package dev.tollgate.platform.mail;

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

/** {@link MailOutbox} over the {@code mail_outbox} table. */
@Singleton
public class JdbcMailOutbox implements MailOutbox {

    private final DataSource dataSource;

    public JdbcMailOutbox(DataSource dataSource) {
        // plain JDBC outside Micronaut Data's connection context: use the pool itself
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
    }

    @Override
    public Optional<UUID> enqueue(Mail mail) {
        UUID id = UUID.randomUUID();
        String sql = """
                insert into mail_outbox (id, tenant_id, recipients, subject, body_text, body_html, kind, dedup_key)
                values (?, ?, ?, ?, ?, ?, ?, ?)
                on conflict (dedup_key) do nothing
                """;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, id);
            ps.setObject(2, mail.tenantId());
            ps.setArray(3, c.createArrayOf("text", mail.to().toArray()));
            ps.setString(4, mail.subject());
            ps.setString(5, mail.text());
            ps.setString(6, mail.html());
            ps.setString(7, mail.kind());
            ps.setString(8, mail.dedupKey());
            return ps.executeUpdate() == 1 ? Optional.of(id) : Optional.empty();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot queue mail", e);
        }
    }
}
