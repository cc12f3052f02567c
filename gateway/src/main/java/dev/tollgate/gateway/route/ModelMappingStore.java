package dev.tollgate.gateway.route;

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The {@code gateway_model_mapping} table, the source of truth of stored aliases. Blocking JDBC. */
@Singleton
public class ModelMappingStore {

    private final DataSource dataSource;

    public ModelMappingStore(DataSource dataSource) {
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
    }

    /** Every stored mapping, by alias. */
    public List<ModelMapping> list() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select alias, provider, model, updated_at from gateway_model_mapping order by alias");
             ResultSet rs = ps.executeQuery()) {
            List<ModelMapping> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new ModelMapping(rs.getString(1), rs.getString(2), rs.getString(3), ModelMapping.STORE,
                        rs.getTimestamp(4).toInstant()));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read model mappings", e);
        }
    }

    /** Creates or replaces the mapping of {@code alias}. */
    public void put(String alias, String provider, String model) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     insert into gateway_model_mapping (alias, provider, model) values (?, ?, ?)
                     on conflict (alias) do update set provider = excluded.provider, model = excluded.model, updated_at = now()""")) {
            ps.setString(1, alias);
            ps.setString(2, provider);
            ps.setString(3, model);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store model mapping", e);
        }
    }

    /** Deletes the mapping of {@code alias}; false when there was none. */
    public boolean delete(String alias) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("delete from gateway_model_mapping where alias = ?")) {
            ps.setString(1, alias);
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot delete model mapping", e);
        }
    }
}
