package dev.tollgate.tenant.key;

import dev.tollgate.tenant.web.JsonColumns;
import dev.tollgate.platform.key.ApiKeyHasher;
import dev.tollgate.platform.key.ApiKeyToken;
import dev.tollgate.platform.tenant.KeyScopes;
import dev.tollgate.platform.tenant.Limits;
import dev.tollgate.tenant.web.Db;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code api_key} table as the tenant API writes it. Every query is scoped by tenant id;
 * methods take the caller's connection so they compose into one transaction.
 */
@Singleton
public class KeyStore {

    private static final String COLUMNS = """
            k.id, k.public_id, k.name, k.project_id, k.scopes::text, k.limits::text, k.metadata::text,
            k.created_at, k.last_used_at, k.expires_at, k.revoked_at, k.previous_valid_until, k.route_name""";

    /** The settings of a new key; {@code route} names the stored route it is bound to, null for none. */
    public record NewKey(String name, KeyScopes scopes, Limits limits, @Nullable Instant expiresAt, Map<String, String> metadata,
                         @Nullable String route) {
    }

    private final ApiKeyHasher hasher;
    private final JsonColumns json;

    public KeyStore(ApiKeyHasher hasher, JsonColumns json) {
        this.hasher = hasher;
        this.json = json;
    }

    public CreatedKey insert(Connection c, UUID tenantId, UUID projectId, NewKey key) throws SQLException {
        ApiKeyToken token = ApiKeyToken.generate();
        UUID id = UUID.randomUUID();
        Db.update(c, """
                insert into api_key (id, tenant_id, project_id, public_id, name, secret_hash, scopes, limits, metadata, expires_at,
                                     route_name)
                values (?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?, ?)""",
                id, tenantId, projectId, token.publicId(), key.name(), hasher.hash(token.secret()),
                json.write(key.scopes()), json.write(key.limits()), json.write(key.metadata()), key.expiresAt(), key.route());
        return new CreatedKey(token.value(), find(c, tenantId, id, false).orElseThrow());
    }

    public List<KeyView> list(Connection c, UUID tenantId, @Nullable UUID projectId) throws SQLException {
        String sql = "select " + COLUMNS + " from api_key k where k.tenant_id = ?"
                + (projectId == null ? "" : " and k.project_id = ?") + " order by k.created_at, k.id";
        try (PreparedStatement ps = projectId == null ? Db.prepare(c, sql, tenantId) : Db.prepare(c, sql, tenantId, projectId);
             ResultSet rs = ps.executeQuery()) {
            List<KeyView> out = new ArrayList<>();
            while (rs.next()) {
                out.add(view(rs));
            }
            return out;
        }
    }

    public Optional<KeyView> find(Connection c, UUID tenantId, UUID id, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = Db.prepare(c, "select " + COLUMNS + " from api_key k where k.tenant_id = ? and k.id = ?"
                + (forUpdate ? " for update" : ""), tenantId, id);
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(view(rs)) : Optional.empty();
        }
    }

    /** Public ids of the keys of a project that are not revoked yet. */
    public List<String> activePublicIds(Connection c, UUID tenantId, UUID projectId) throws SQLException {
        try (PreparedStatement ps = Db.prepare(c,
                "select public_id from api_key where tenant_id = ? and project_id = ? and revoked_at is null", tenantId, projectId);
             ResultSet rs = ps.executeQuery()) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }

    public void update(Connection c, UUID tenantId, UUID id, String name, KeyScopes scopes, Limits limits,
                       @Nullable Instant expiresAt, Map<String, String> metadata, @Nullable String route) throws SQLException {
        Db.update(c, """
                update api_key set name = ?, scopes = ?::jsonb, limits = ?::jsonb, expires_at = ?, metadata = ?::jsonb,
                       route_name = ?
                 where tenant_id = ? and id = ?""",
                name, json.write(scopes), json.write(limits), expiresAt, json.write(metadata), route, tenantId, id);
    }

    /**
     * Gives the key a new secret. The current one stays valid until {@code previousValidUntil}
     * (a previous secret still in its grace is dropped: only one old secret is ever honoured).
     */
    public String rotate(Connection c, UUID tenantId, UUID id, String publicId, Instant previousValidUntil) throws SQLException {
        ApiKeyToken token = new ApiKeyToken(publicId, ApiKeyToken.generate().secret());
        Db.update(c, """
                update api_key set previous_secret_hash = secret_hash, previous_valid_until = ?, secret_hash = ?
                 where tenant_id = ? and id = ?""",
                previousValidUntil, hasher.hash(token.secret()), tenantId, id);
        return token.value();
    }

    public void revoke(Connection c, UUID tenantId, UUID id) throws SQLException {
        Db.update(c, "update api_key set revoked_at = coalesce(revoked_at, now()) where tenant_id = ? and id = ?", tenantId, id);
    }

    public void revokeProject(Connection c, UUID tenantId, UUID projectId) throws SQLException {
        Db.update(c, "update api_key set revoked_at = now() where tenant_id = ? and project_id = ? and revoked_at is null",
                tenantId, projectId);
    }

    private KeyView view(ResultSet rs) throws SQLException {
        Instant expiresAt = Db.instant(rs.getTimestamp(10));
        Instant revokedAt = Db.instant(rs.getTimestamp(11));
        Instant previousValidUntil = Db.instant(rs.getTimestamp(12));
        Instant now = Instant.now();
        String status = revokedAt != null ? "revoked" : expiresAt != null && !now.isBefore(expiresAt) ? "expired" : "active";
        return new KeyView(
                rs.getObject(1, UUID.class),
                rs.getString(3),
                ApiKeyToken.PREFIX + rs.getString(2),
                rs.getObject(4, UUID.class),
                json.read(rs.getString(5), Argument.of(KeyScopes.class), KeyScopes.ALL),
                json.read(rs.getString(6), Argument.of(Limits.class), Limits.NONE),
                json.read(rs.getString(7), Argument.mapOf(String.class, String.class), Map.of()),
                rs.getString(13),
                status,
                Db.instant(rs.getTimestamp(8)),
                Db.instant(rs.getTimestamp(9)),
                expiresAt,
                revokedAt,
                previousValidUntil != null && now.isBefore(previousValidUntil) ? previousValidUntil : null);
    }


    /** Normalized metadata: insertion order kept, never null. */
    static Map<String, String> metadata(@Nullable Map<String, String> metadata) {
        return metadata == null ? Map.of() : new LinkedHashMap<>(metadata);
    }
}
