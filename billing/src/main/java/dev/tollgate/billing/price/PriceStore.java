package dev.tollgate.billing.price;

import dev.tollgate.platform.usage.extract.MatchRule;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** Reads price versions and reads and writes operator overrides ({@code price_*} tables). */
@Singleton
public class PriceStore {

    private final DataSource dataSource;
    private final JsonMapper json;

    public PriceStore(DataSource dataSource, JsonMapper json) {
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
        this.json = json;
    }

    /** A {@code price_source} row. */
    public record Source(long id, String name, String commit, @Nullable LocalDate commitDate, String sha256,
                         Instant importedAt, int providerCount, int modelCount) {
        public String ref() {
            return name + "@" + commit.substring(0, Math.min(7, commit.length()));
        }
    }

    public List<Source> sources() {
        List<Source> list = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     select id, name, source_commit, commit_date, sha256, imported_at, provider_count, model_count
                       from price_source order by id desc""");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                list.add(new Source(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getObject(4, LocalDate.class),
                        rs.getString(5), rs.getTimestamp(6).toInstant(), rs.getInt(7), rs.getInt(8)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read price sources", e);
        }
        return list;
    }

    /** The catalogue of one imported version. */
    public PriceCatalog loadCatalog(long sourceId) {
        Source source = sources().stream().filter(s -> s.id() == sourceId).findFirst()
                .orElseThrow(() -> new IllegalStateException("no price source " + sourceId));
        try (Connection c = dataSource.getConnection()) {
            Map<String, List<PricePeriod>> periods = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    select provider_id, model_id, id, starts_on, daily_from, daily_to, prices::text
                      from price_row where source_id = ? order by provider_id, model_id, ordinal""")) {
                ps.setLong(1, sourceId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        periods.computeIfAbsent(rs.getString(1) + "\u0000" + rs.getString(2), k -> new ArrayList<>())
                                .add(new PricePeriod(rs.getLong(3), rs.getObject(4, LocalDate.class), rs.getObject(5, LocalTime.class),
                                        rs.getObject(6, LocalTime.class), ModelPrice.parse(node(rs.getString(7)))));
                    }
                }
            }
            Map<String, List<CatalogModel>> models = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    select provider_id, model_id, name, match::text from price_model where source_id = ? order by provider_id, ordinal""")) {
                ps.setLong(1, sourceId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String p = rs.getString(1);
                        String m = rs.getString(2);
                        models.computeIfAbsent(p, k -> new ArrayList<>()).add(new CatalogModel(p, m, rs.getString(3),
                                MatchRule.parse(node(rs.getString(4))), List.copyOf(periods.get(p + "\u0000" + m))));
                    }
                }
            }
            List<CatalogProvider> providers = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    select provider_id, name, api_pattern, model_match::text, provider_match::text, fallback_providers
                      from price_provider where source_id = ? order by ordinal""")) {
                ps.setLong(1, sourceId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String id = rs.getString(1);
                        String api = rs.getString(3);
                        providers.add(new CatalogProvider(id, rs.getString(2), api == null ? null : Pattern.compile(api),
                                rule(rs.getString(4)), rule(rs.getString(5)),
                                Arrays.asList((String[]) rs.getArray(6).getArray()),
                                List.copyOf(models.getOrDefault(id, List.of()))));
                    }
                }
            }
            return new PriceCatalog(sourceId, source.ref(), List.copyOf(providers));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot load price catalogue " + sourceId, e);
        }
    }

    public List<PriceOverride> overrides() {
        return queryOverrides("", null);
    }

    public Optional<PriceOverride> override(UUID id) {
        return queryOverrides(" where id = ?", id).stream().findFirst();
    }

    public PriceOverride insert(PriceOverride o) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     insert into price_override (id, provider_id, model_id, tenant_id, prices, effective_from, effective_to, note)
                     values (?, ?, ?, ?, ?::jsonb, ?, ?, ?)""")) {
            bind(ps, o);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot save price override", e);
        }
        return override(o.id()).orElseThrow();
    }

    public Optional<PriceOverride> update(PriceOverride o) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     update price_override set id = ?, provider_id = ?, model_id = ?, tenant_id = ?, prices = ?::jsonb,
                            effective_from = ?, effective_to = ?, note = ?, updated_at = now()
                      where id = ?""")) {
            bind(ps, o);
            ps.setObject(9, o.id());
            if (ps.executeUpdate() == 0) {
                return Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot save price override", e);
        }
        return override(o.id());
    }

    public boolean delete(UUID id) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("delete from price_override where id = ?")) {
            ps.setObject(1, id);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot delete price override", e);
        }
    }

    public boolean tenantExists(UUID tenantId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select 1 from tenant where id = ?")) {
            ps.setObject(1, tenantId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot look up tenant", e);
        }
    }

    private void bind(PreparedStatement ps, PriceOverride o) throws SQLException {
        ps.setObject(1, o.id());
        ps.setString(2, o.providerId());
        ps.setString(3, o.modelId());
        ps.setObject(4, o.tenantId());
        try {
            ps.setString(5, json.writeValueAsString(o.prices().toJson()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ps.setTimestamp(6, Timestamp.from(o.effectiveFrom()));
        ps.setTimestamp(7, o.effectiveTo() == null ? null : Timestamp.from(o.effectiveTo()));
        ps.setString(8, o.note());
    }

    private List<PriceOverride> queryOverrides(String where, UUID id) {
        List<PriceOverride> list = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     select id, provider_id, model_id, tenant_id, prices::text, effective_from, effective_to, note, created_at, updated_at
                       from price_override""" + where + " order by created_at, id")) {
            if (id != null) {
                ps.setObject(1, id);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp to = rs.getTimestamp(7);
                    list.add(new PriceOverride(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                            rs.getObject(4, UUID.class), ModelPrice.parse(node(rs.getString(5))), rs.getTimestamp(6).toInstant(),
                            to == null ? null : to.toInstant(), rs.getString(8), rs.getTimestamp(9).toInstant(),
                            rs.getTimestamp(10).toInstant()));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read price overrides", e);
        }
        return list;
    }

    private MatchRule rule(String text) {
        return text == null ? null : MatchRule.parse(node(text));
    }

    private JsonNode node(String text) {
        try {
            return json.readValue(text, JsonNode.class);
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt JSON in price tables", e);
        }
    }
}
