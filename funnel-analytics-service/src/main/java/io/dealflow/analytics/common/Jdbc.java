package io.dealflow.analytics.common;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/** Small helpers for the read-only queries: one connection per answer, rows handed to a callback. */
public final class Jdbc {

    @FunctionalInterface
    public interface Rows {
        void each(ResultSet rs) throws SQLException;
    }

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private Jdbc() {
    }

    public static <T> T read(DataSource dataSource, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setReadOnly(true);
            return work.run(c);
        } catch (SQLException e) {
            throw new IllegalStateException("query failed", e);
        }
    }

    public static void query(Connection c, String sql, List<Object> args, Rows rows) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            each(statement, args, rows);
        }
    }

    private static void each(PreparedStatement statement, List<Object> args, Rows rows) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            statement.setObject(i + 1, args.get(i));
        }
        try (ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                rows.each(rs);
            }
        }
    }

    /**
     * Like {@link #query}, for a result of any size (every visit of a pipeline): PostgreSQL hands it out in chunks, which
     * it does only inside a transaction, planned as for reading every row (a cursor is otherwise planned for its first
     * rows) and for the values of this run; H2 spills large results to disk by itself.
     */
    public static void stream(Connection c, String sql, List<Object> args, Rows rows) throws SQLException {
        if (!c.getAutoCommit() || !Database.isPostgres(c)) {
            // inside a caller's transaction (which this must not end), or on H2
            query(c, sql, args, rows);
            return;
        }
        c.setAutoCommit(false);
        try (Statement settings = c.createStatement()) {
            settings.execute("set local cursor_tuple_fraction = 1");
            // planned for the values asked about every time: from its tenth run on a connection (prepared on the server
            // at the fifth, then five custom plans) PostgreSQL may keep a generic plan, blind to the owner and the dates,
            // which took a creation window with an owner at 1M deals from 1.0 to 2.2 s
            settings.execute("set local plan_cache_mode = force_custom_plan");
            try (PreparedStatement statement = c.prepareStatement(sql)) {
                statement.setFetchSize(STREAM_FETCH_SIZE);
                each(statement, args, rows);
            }
        } finally {
            // nothing was written: ending the transaction by rolling back also works after a failed statement
            c.rollback();
            c.setAutoCommit(true);
        }
    }

    private static final int STREAM_FETCH_SIZE = 20_000;

    public static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    /** Newest applied event time: every answer says how fresh it is. */
    public static Instant asOf(Connection c) throws SQLException {
        Instant[] newest = {null};
        query(c, "select max(newest_event_at) from partition_progress", List.of(), rs -> newest[0] = instant(rs.getTimestamp(1)));
        return newest[0];
    }

    public static Double ratio(long numerator, long denominator) {
        return denominator == 0 ? null : Math.round(numerator * 10000.0 / denominator) / 10000.0;
    }
}
