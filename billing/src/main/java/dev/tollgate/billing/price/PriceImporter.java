package dev.tollgate.billing.price;

import dev.tollgate.platform.price.PriceFile;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;

/**
 * Imports the bundled price file ({@code genai-prices/genai-prices-v2.json} with its
 * {@code SOURCE.properties}, both in platform's resources) into the price tables, once per distinct file: the file's SHA-256
 * identifies the version, and a transaction-scoped advisory lock makes replicas starting
 * together import it exactly once.
 */
@Singleton
public class PriceImporter {

    static final String SOURCE_FILE = "/genai-prices/SOURCE.properties";
    private static final Logger LOG = LoggerFactory.getLogger(PriceImporter.class);

    private final DataSource dataSource;
    private final JsonMapper json;

    public PriceImporter(DataSource dataSource, JsonMapper json) {
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
        this.json = json;
    }

    /** Imports the bundled file unless already imported; returns its {@code price_source} id. */
    public long importBundled() {
        PriceFile file = PriceFile.bundled();
        Properties source = new Properties();
        try {
            source.load(new java.io.ByteArrayInputStream(resource(SOURCE_FILE)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return importFile(file, source.getProperty("name", "genai-prices"), source.getProperty("commit", "unknown"),
                source.getProperty("commit_date"));
    }

    private long importFile(PriceFile file, String name, String commit, String commitDate) {
        String sha = sha256(file.bytes());
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement lock = c.prepareStatement("select pg_advisory_xact_lock(hashtext('tollgate.price-import'))")) {
                    lock.execute();
                }
                try (PreparedStatement ps = c.prepareStatement("select id from price_source where sha256 = ?")) {
                    ps.setString(1, sha);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            long id = rs.getLong(1);
                            c.commit();
                            return id;
                        }
                    }
                }
                long id = insert(c, file.root(), name, commit, commitDate, sha);
                c.commit();
                return id;
            } catch (SQLException | IOException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("price import failed", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the price file's JSON", e);
        }
    }

    private long insert(Connection c, JsonNode root, String name, String commit, String commitDate, String sha)
            throws SQLException, IOException {
        int models = 0;
        for (JsonNode p : root.values()) {
            models += p.get("models").size();
        }
        long sourceId;
        try (PreparedStatement ps = c.prepareStatement("""
                insert into price_source (name, source_commit, commit_date, sha256, provider_count, model_count)
                values (?, ?, ?, ?, ?, ?) returning id""")) {
            ps.setString(1, name);
            ps.setString(2, commit);
            ps.setObject(3, commitDate == null ? null : LocalDate.parse(commitDate));
            ps.setString(4, sha);
            ps.setInt(5, root.size());
            ps.setInt(6, models);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                sourceId = rs.getLong(1);
            }
        }
        List<String> skipped = new ArrayList<>();
        try (PreparedStatement pp = c.prepareStatement("""
                insert into price_provider (source_id, provider_id, ordinal, name, api_pattern, model_match, provider_match,
                                            fallback_providers, extractors)
                values (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?::jsonb)""");
             PreparedStatement pm = c.prepareStatement("""
                     insert into price_model (source_id, provider_id, model_id, ordinal, name, match, context_window, deprecated)
                     values (?, ?, ?, ?, ?, ?::jsonb, ?, ?)""");
             PreparedStatement pr = c.prepareStatement("""
                     insert into price_row (source_id, provider_id, model_id, ordinal, starts_on, daily_from, daily_to, prices)
                     values (?, ?, ?, ?, ?, ?, ?, ?::jsonb)""")) {
            int pOrd = 0;
            for (JsonNode p : root.values()) {
                String providerId = p.get("id").getStringValue();
                List<String> fallbacks = new ArrayList<>();
                if (p.get("fallback_model_providers") != null) {
                    p.get("fallback_model_providers").values().forEach(f -> fallbacks.add(f.getStringValue()));
                }
                pp.setLong(1, sourceId);
                pp.setString(2, providerId);
                pp.setInt(3, pOrd++);
                pp.setString(4, text(p, "name", providerId));
                pp.setString(5, text(p, "api_pattern", null));
                pp.setString(6, jsonOrNull(p.get("model_match")));
                pp.setString(7, jsonOrNull(p.get("provider_match")));
                pp.setArray(8, c.createArrayOf("text", fallbacks.toArray()));
                pp.setString(9, jsonOrNull(p.get("extractors")));
                pp.addBatch();
                int mOrd = 0;
                for (JsonNode m : p.get("models").values()) {
                    String modelId = m.get("id").getStringValue();
                    pm.setLong(1, sourceId);
                    pm.setString(2, providerId);
                    pm.setString(3, modelId);
                    pm.setInt(4, mOrd++);
                    pm.setString(5, text(m, "name", null));
                    pm.setString(6, json.writeValueAsString(m.get("match")));
                    pm.setObject(7, m.get("context_window") == null ? null : m.get("context_window").getLongValue());
                    pm.setBoolean(8, m.get("deprecated") != null && m.get("deprecated").getBooleanValue());
                    pm.addBatch();
                    JsonNode prices = m.get("prices");
                    List<JsonNode[]> entries = new ArrayList<>();
                    if (prices.isArray()) {
                        for (JsonNode cp : prices.values()) {
                            entries.add(new JsonNode[]{cp.get("constraint"), cp.get("prices")});
                        }
                    } else {
                        entries.add(new JsonNode[]{null, prices});
                    }
                    int rOrd = 0;
                    for (JsonNode[] e : entries) {
                        JsonNode constraint = e[0];
                        pr.setLong(1, sourceId);
                        pr.setString(2, providerId);
                        pr.setString(3, modelId);
                        pr.setInt(4, rOrd++);
                        pr.setObject(5, constraint != null && constraint.get("start_date") != null
                                ? LocalDate.parse(constraint.get("start_date").getStringValue()) : null);
                        pr.setObject(6, timeOf(constraint, "start_time"));
                        pr.setObject(7, timeOf(constraint, "end_time"));
                        pr.setString(8, json.writeValueAsString(knownPrices(e[1], providerId + "/" + modelId, skipped)));
                        pr.addBatch();
                    }
                }
            }
            pp.executeBatch();
            pm.executeBatch();
            pr.executeBatch();
        }
        if (!skipped.isEmpty()) {
            LOG.warn("price keys without a known unit were not imported: {}", skipped);
        }
        LOG.info("imported price table {}@{} ({} providers, {} models)", name, commit, root.size(), models);
        return sourceId;
    }

    /** The price object without keys this version of Tollgate cannot price (reported, not silently used). */
    private JsonNode knownPrices(JsonNode prices, String where, List<String> skipped) {
        java.util.Map<String, JsonNode> kept = new java.util.LinkedHashMap<>();
        for (var e : prices.entries()) {
            if (UsageUnit.BY_PRICE_KEY.containsKey(e.getKey())) {
                kept.put(e.getKey(), e.getValue());
            } else {
                skipped.add(where + ":" + e.getKey());
            }
        }
        return JsonNode.createObjectNode(kept);
    }

    private static LocalTime timeOf(JsonNode constraint, String key) {
        if (constraint == null || constraint.get(key) == null) {
            return null;
        }
        String t = constraint.get(key).getStringValue();
        // the file writes UTC times with a Z suffix ("00:30:00Z")
        return LocalTime.parse(t.endsWith("Z") ? t.substring(0, t.length() - 1) : t);
    }

    private String jsonOrNull(JsonNode n) throws IOException {
        return n == null ? null : json.writeValueAsString(n);
    }

    private static String text(JsonNode n, String key, String fallback) {
        return n.get(key) == null ? fallback : n.get(key).getStringValue();
    }

    static byte[] resource(String path) {
        try (InputStream in = PriceImporter.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
