package dev.tollgate.platform.tenant;

import io.micronaut.json.JsonMapper;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

/** {@link ApiKeyStore} over the {@code api_key}, {@code project} and {@code tenant} tables. */
@Singleton
public class JdbcApiKeyStore implements ApiKeyStore {

    private static final String FIND = """
            select k.id, k.public_id, k.tenant_id, k.project_id, k.name, k.secret_hash,
                   k.previous_secret_hash, k.previous_valid_until, k.scopes::text, k.limits::text,
                   p.limits::text, t.limits::text, k.expires_at, k.revoked_at, t.status,
                   p.deleted_at is not null, k.route_name, t.time_zone
              from api_key k
              join project p on p.id = k.project_id
              join tenant t on t.id = k.tenant_id
             where k.public_id = ?
            """;

    private final DataSource dataSource;
    private final JsonMapper json;

    public JdbcApiKeyStore(DataSource dataSource, JsonMapper json) {
        // plain JDBC outside Micronaut Data's connection context: use the pool itself
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
        this.json = json;
    }

    @Override
    public Optional<ApiKeyGrant> findByPublicId(String publicId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(FIND)) {
            ps.setString(1, publicId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new ApiKeyGrant(
                        rs.getObject(1, UUID.class),
                        rs.getString(2),
                        rs.getObject(3, UUID.class),
                        rs.getObject(4, UUID.class),
                        rs.getString(5),
                        rs.getBytes(6),
                        rs.getBytes(7),
                        instant(rs.getTimestamp(8)),
                        read(rs.getString(9), KeyScopes.class, KeyScopes.ALL),
                        read(rs.getString(10), Limits.class, Limits.NONE),
                        read(rs.getString(11), Limits.class, Limits.NONE),
                        read(rs.getString(12), Limits.class, Limits.NONE),
                        instant(rs.getTimestamp(13)),
                        instant(rs.getTimestamp(14)),
                        "suspended".equals(rs.getString(15)),
                        rs.getBoolean(16),
                        rs.getString(17),
                        zone(rs.getString(18))));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("api key lookup failed", e);
        }
    }

    private <T> T read(String text, Class<T> type, T empty) {
        if (text == null || text.isBlank() || text.equals("{}")) {
            return empty;
        }
        try {
            return json.readValue(text, type);
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt " + type.getSimpleName() + " column", e);
        }
    }

    /** The tenant's zone; UTC for a name the JDK does not know, so a bad row cannot stop its keys. */
    private static ZoneId zone(String name) {
        try {
            return name == null || name.isBlank() ? ZoneOffset.UTC : ZoneId.of(name);
        } catch (DateTimeException e) {
            return ZoneOffset.UTC;
        }
    }

    private static Instant instant(Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }
}
