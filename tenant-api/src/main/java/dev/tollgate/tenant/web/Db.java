package dev.tollgate.tenant.web;

import dev.tollgate.platform.http.ApiException;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * Runs JDBC work on the connection of a Micronaut Data transaction, so that anything else using
 * the contextual {@code DataSource} inside (the mail outbox, say) joins the same transaction.
 * Blocking: call only from controllers on the blocking executor.
 */
@Singleton
public class Db {

    /** SQLSTATE of a unique constraint violation. */
    public static final String UNIQUE_VIOLATION = "23505";

    /** JDBC work that returns a value. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final TransactionOperations<Connection> transactions;

    public Db(TransactionOperations<Connection> transactions) {
        this.transactions = transactions;
    }

    /** Runs {@code work} in one read-write transaction: committed if it returns, rolled back if it throws. */
    public <T> T tx(Work<T> work) {
        try {
            return transactions.executeWrite(status -> work.run(status.getConnection()));
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    /** Runs {@code work} in a read-only transaction. */
    public <T> T read(Work<T> work) {
        try {
            return transactions.executeRead(status -> work.run(status.getConnection()));
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    private static RuntimeException translate(RuntimeException e) {
        if (e instanceof ApiException) {
            return e;
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                // a concurrent request won a race our own pre-check could not see
                return ApiException.conflict("This conflicts with an existing record; reload and try again", "conflict");
            }
        }
        return e;
    }

    /** Binds parameters in order (nulls as SQL NULL of an unknown type). */
    public static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p instanceof Instant instant) {
                ps.setTimestamp(i + 1, Timestamp.from(instant));
            } else {
                ps.setObject(i + 1, p);
            }
        }
        return ps;
    }

    /** Executes an update with parameters; returns the row count. */
    public static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, params)) {
            return ps.executeUpdate();
        }
    }

    public static Instant instant(Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }
}
