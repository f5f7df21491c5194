package io.dealflow.analytics.funnel;

import io.dealflow.analytics.common.Jdbc;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the projection's pre-aggregated counters: what each counts in {@code tally_cell}, its totals in {@code tally}
 * (described in V4__tally.sql, V7, V10 and V11).
 */
public final class TallyRows {

    public record Row(String metric, String k1, String k2, String k3, String k4, long n, BigDecimal amount) {
    }

    private static final String COUNTERS = "c.metric, c.k1, c.k2, c.k3, c.k4, t.n, t.amount from tally_cell c"
            + " join tally t on t.cell_id = c.cell_id where t.n <> 0 and c.pipeline_id = ? and ";

    private TallyRows() {
    }

    /**
     * The rows of these metrics for the filter's slice; the filter must have one ({@link FunnelFilter#slice()}).
     * Counters that went back to zero (all their deals moved on) are left out.
     */
    public static List<Row> read(Connection c, FunnelFilter filter, String... metrics) throws SQLException {
        List<Object> args = new ArrayList<>(List.of(filter.pipelineId(), filter.slice()));
        args.addAll(List.of(metrics));
        List<Row> rows = new ArrayList<>();
        Jdbc.query(c, "select " + COUNTERS + "c.slice = ? and " + metricIn(metrics), args, rs -> rows.add(row(rs, 1)));
        return rows;
    }

    /** The rows of these metrics of every creation-month slice in the filter's whole-month window. */
    public static List<Row> readMonths(Connection c, FunnelFilter filter, String... metrics) throws SQLException {
        List<Object> args = new ArrayList<>(List.of(filter.pipelineId(), filter.firstMonthSlice(), filter.endMonthSlice()));
        args.addAll(List.of(metrics));
        List<Row> rows = new ArrayList<>();
        Jdbc.query(c, "select " + COUNTERS + "c.slice >= ? and c.slice < ? and " + metricIn(metrics), args, rs -> rows.add(row(rs, 1)));
        return rows;
    }

    /** The rows of these metrics for every slice starting with {@code slicePrefix} ("owner:", "source:"), by slice. */
    public static Map<String, List<Row>> readSlices(Connection c, String pipelineId, String slicePrefix, String... metrics) throws SQLException {
        List<Object> args = new ArrayList<>(List.of(pipelineId, slicePrefix + "%"));
        args.addAll(List.of(metrics));
        Map<String, List<Row>> slices = new TreeMap<>();
        Jdbc.query(c, "select c.slice, " + COUNTERS + "c.slice like ? and " + metricIn(metrics), args,
                rs -> slices.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(row(rs, 2)));
        return slices;
    }

    private static String metricIn(String... metrics) {
        return "c.metric in (" + "?,".repeat(metrics.length - 1) + "?)";
    }

    /** The row whose columns metric, k1…k4, n, amount start at {@code first}. */
    private static Row row(ResultSet rs, int first) throws SQLException {
        return new Row(rs.getString(first), rs.getString(first + 1), rs.getString(first + 2), rs.getString(first + 3),
                rs.getString(first + 4), rs.getLong(first + 5), rs.getBigDecimal(first + 6));
    }
}
