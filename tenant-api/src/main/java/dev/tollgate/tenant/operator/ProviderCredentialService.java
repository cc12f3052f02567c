package dev.tollgate.tenant.operator;

import dev.tollgate.platform.http.ApiException;
import dev.tollgate.platform.secret.ProviderCredentialSeal;
import dev.tollgate.platform.secret.SecretBox;
import dev.tollgate.tenant.web.Db;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Provider credentials: the API key is sealed with {@link SecretBox} under associated data
 * {@link #associatedData(UUID)} (so a sealed value copied to another row does not open) and
 * never leaves this class in clear; responses carry only a masked hint.
 */
@Singleton
public class ProviderCredentialService {

    private static final String SELECT = "select id, provider, name, key_hint, base_url, settings::text, created_at, updated_at from provider_credential";

    private final Db db;
    private final SecretBox box;
    private final JsonMapper json;

    public ProviderCredentialService(Db db, SecretBox box, JsonMapper json) {
        this.db = db;
        this.box = box;
        this.json = json;
    }

    /** The associated data a credential's key is sealed under; readers must open with the same. */
    public static String associatedData(UUID credentialId) {
        return ProviderCredentialSeal.associatedData(credentialId);
    }

    /** {@code sk-...wxyz}: enough to recognise a key, never enough to use it. */
    static String hint(String apiKey) {
        return apiKey.length() >= 16 ? apiKey.substring(0, 3) + "..." + apiKey.substring(apiKey.length() - 4) : "..." + apiKey.substring(apiKey.length() - 2);
    }

    public List<ProviderCredentialView> list() {
        return db.read(c -> {
            try (PreparedStatement ps = Db.prepare(c, SELECT + " order by provider, name"); ResultSet rs = ps.executeQuery()) {
                List<ProviderCredentialView> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(view(rs));
                }
                return out;
            }
        });
    }

    public ProviderCredentialView get(UUID id) {
        return db.read(c -> find(c, id)).orElseThrow(ProviderCredentialService::notFound);
    }

    public ProviderCredentialView create(ProviderCredentialCommand command) {
        Map<String, String> missing = new LinkedHashMap<>();
        if (command.provider() == null) {
            missing.put("provider", "must not be null");
        }
        if (command.name() == null) {
            missing.put("name", "must not be null");
        }
        if (command.apiKey() == null) {
            missing.put("api_key", "must not be null");
        }
        if (!missing.isEmpty()) {
            throw ApiException.invalidFields("Invalid request: provider, name and api_key are required", missing);
        }
        UUID id = UUID.randomUUID();
        return db.tx(c -> {
            checkNameFree(c, command.provider(), command.name().trim(), null);
            Db.update(c, """
                    insert into provider_credential (id, provider, name, sealed_key, key_hint, base_url, settings)
                    values (?, ?, ?, ?, ?, ?, ?::jsonb)""",
                    id, command.provider(), command.name().trim(), box.seal(command.apiKey(), associatedData(id)),
                    hint(command.apiKey()), command.baseUrl(), write(command.settings()));
            return find(c, id).orElseThrow();
        });
    }

    public ProviderCredentialView update(UUID id, ProviderCredentialCommand command) {
        return db.tx(c -> {
            ProviderCredentialView current = find(c, id).orElseThrow(ProviderCredentialService::notFound);
            if (command.provider() != null && !command.provider().equals(current.provider())) {
                throw ApiException.badRequest("The provider of a credential cannot change; create a new one", "provider");
            }
            String name = command.name() == null ? current.name() : command.name().trim();
            if (!name.equals(current.name())) {
                checkNameFree(c, current.provider(), name, id);
            }
            Db.update(c, """
                    update provider_credential set name = ?, base_url = ?, settings = ?::jsonb, updated_at = now() where id = ?""",
                    name, command.baseUrl() == null ? current.baseUrl() : command.baseUrl(),
                    write(command.settings() == null ? current.settings() : command.settings()), id);
            if (command.apiKey() != null) {
                Db.update(c, "update provider_credential set sealed_key = ?, key_hint = ? where id = ?",
                        box.seal(command.apiKey(), associatedData(id)), hint(command.apiKey()), id);
            }
            return find(c, id).orElseThrow();
        });
    }

    public void delete(UUID id) {
        if (db.tx(c -> Db.update(c, "delete from provider_credential where id = ?", id)) == 0) {
            throw notFound();
        }
    }

    private Optional<ProviderCredentialView> find(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = Db.prepare(c, SELECT + " where id = ?", id); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(view(rs)) : Optional.empty();
        }
    }

    private static void checkNameFree(Connection c, String provider, String name, UUID except) throws SQLException {
        try (PreparedStatement ps = Db.prepare(c, "select id from provider_credential where provider = ? and name = ?", provider, name);
             ResultSet rs = ps.executeQuery()) {
            if (rs.next() && !rs.getObject(1, UUID.class).equals(except)) {
                throw ApiException.conflict("A credential with this provider and name already exists", "credential_name_taken");
            }
        }
    }

    private ProviderCredentialView view(ResultSet rs) throws SQLException {
        String settings = rs.getString(6);
        try {
            Map<String, Object> parsed = settings == null || settings.equals("{}")
                    ? Map.of() : json.readValue(settings, Argument.mapOf(String.class, Object.class));
            return new ProviderCredentialView(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4),
                    rs.getString(5), parsed, Db.instant(rs.getTimestamp(7)), Db.instant(rs.getTimestamp(8)));
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt credential settings", e);
        }
    }

    private String write(Map<String, Object> settings) {
        try {
            return settings == null ? "{}" : json.writeValueAsString(settings);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ApiException notFound() {
        return ApiException.notFound("No such provider credential", "credential_not_found");
    }
}
