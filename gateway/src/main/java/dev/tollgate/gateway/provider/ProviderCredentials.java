package dev.tollgate.gateway.provider;

import dev.tollgate.platform.secret.ProviderCredentialSeal;
import dev.tollgate.platform.secret.SecretBox;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.scheduling.annotation.Scheduled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * Provider credentials from the encrypted {@code provider_credential} table, which override the
 * configured ones. A row {@code (provider, name)} applies to the target called {@code name} of
 * type {@code provider}; a row named {@code default} applies to the canonical target of its type
 * (the one called {@code openai}, {@code anthropic} …). Values are sealed with
 * {@link SecretBox} under the associated data {@code provider:<provider>/<name>}.
 * <p>
 * Rows are read at start-up and every {@code tollgate.gateway.credential-refresh} (default 30 s)
 * on a scheduler thread, so the request path only reads memory.
 */
@Context
@Requires(beans = DataSource.class)
@Requires(property = "tollgate.gateway.enabled", notEquals = "false")
public class ProviderCredentials {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderCredentials.class);

    /** A credential as stored: the opened key and an optional base URL. */
    public record Credential(String apiKey, @Nullable String baseUrl) {
        @Override
        public String toString() {
            return "Credential[***, " + baseUrl + "]";
        }
    }

    private final DataSource dataSource;
    private final SecretBox box;
    private volatile Map<String, Credential> byProviderAndName = Map.of();

    public ProviderCredentials(DataSource dataSource, SecretBox box) {
        // raw pool connections: these run on their own threads, outside Micronaut Data's connection scopes
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
        this.box = box;
        refresh();
    }

    /** The stored credential for this target, or null to use the configured one. */
    @Nullable
    public Credential find(ProviderTarget target) {
        Map<String, Credential> all = byProviderAndName;
        Credential own = all.get(target.type().wireName() + "/" + target.name());
        if (own != null || !target.name().equals(target.type().wireName())) {
            return own;
        }
        return all.get(target.type().wireName() + "/default");
    }

    /** Reloads every row; a failure keeps the previous credentials. */
    @Scheduled(fixedDelay = "${tollgate.gateway.credential-refresh:30s}", initialDelay = "${tollgate.gateway.credential-refresh:30s}")
    void refresh() {
        Map<String, Credential> loaded = new HashMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select provider, name, sealed_key, base_url, id from provider_credential");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String provider = rs.getString(1);
                String name = rs.getString(2);
                try {
                    String key = box.open(rs.getBytes(3), ProviderCredentialSeal.associatedData(rs.getObject(5, java.util.UUID.class)));
                    loaded.put(provider + "/" + name, new Credential(key, rs.getString(4)));
                } catch (IllegalArgumentException e) {
                    LOG.error("provider credential {}/{} does not open under the master key; ignored", provider, name);
                }
            }
            byProviderAndName = Map.copyOf(loaded);
        } catch (SQLException e) {
            LOG.warn("cannot read provider credentials, keeping the previous ones: {}", e.getMessage());
        }
    }
}
