package io.dealflow.analytics.funnel;

import io.dealflow.analytics.common.Jdbc;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads the projection's pre-aggregated counters (described in V4__tally.sql, V7, V10; stored as V11 says): the
 * groups of the slices and metrics asked for, then each group's counts as one range of ids. A counter's key never
 * changes (its id is never reused), so the keys are remembered once read and a query reads only the counts.
 */
@Singleton
public class TallyRows {

    public record Row(String metric, String k1, String k2, String k3, String k4, long n, BigDecimal amount) {
    }

    private record Key(String slice, String metric, String k1, String k2, String k3, String k4) {
    }

    private record Count(long id, long n, BigDecimal amount) {
    }

    /** Far more than the counters a pipeline's queries read; past it the remembered keys are read again as needed. */
    private static final int REMEMBERED_KEYS = 250_000;

    private final Map<Long, Key> keys = new ConcurrentHashMap<>();

    /** Ranges of a table's ids that belong to the groups selected by the condition that follows. */
    private static final String GROUP_RANGES = " from tally_group g join %s t on t.cell_id >= g.group_id * 4294967296"
            + " and t.cell_id < (g.group_id + 1) * 4294967296 where g.pipeline_id = ? and ";

    /**
     * The rows of these metrics for the filter's slice; the filter must have one ({@link FunnelFilter#slice()}).
     * Counters that went back to zero (all their deals moved on) are left out, after duplicate rows are added up.
     */
    public List<Row> read(Connection c, FunnelFilter filter, String... metrics) throws SQLException {
        return all(read(c, filter.pipelineId(), "g.slice = ?", List.of(filter.slice()), metrics));
    }

    /** The rows of these metrics of every creation-month slice in the filter's whole-month window, added up. */
    public List<Row> readMonths(Connection c, FunnelFilter filter, String... metrics) throws SQLException {
        Map<String, List<Row>> months = read(c, filter.pipelineId(), "g.slice >= ? and g.slice < ?",
                List.of(filter.firstMonthSlice(), filter.endMonthSlice()), metrics);
        Map<String, Map<List<String>, Row>> window = new TreeMap<>();
        months.values().forEach(rows -> rows.forEach(row -> add(window, "", row)));
        return all(withoutZeros(window));
    }

    /** The rows of these metrics for every slice starting with {@code slicePrefix} ("owner:", "source:"), by slice. */
    public Map<String, List<Row>> readSlices(Connection c, String pipelineId, String slicePrefix, String... metrics) throws SQLException {
        return read(c, pipelineId, "g.slice like ?", List.of(slicePrefix + "%"), metrics);
    }

    /** The rows of several slices in one read (slice → its metrics asked for), by slice; a slice without rows is absent. */
    public Map<String, List<Row>> read(Connection c, String pipelineId, Map<String, List<String>> metricsBySlice) throws SQLException {
        List<Object> args = new ArrayList<>();
        args.add(pipelineId);
        List<String> conditions = new ArrayList<>();
        metricsBySlice.forEach((slice, metrics) -> {
            conditions.add("g.slice = ? and g.metric in (" + "?,".repeat(metrics.size() - 1) + "?)");
            args.add(slice);
            args.addAll(metrics);
        });
        return read(c, "(" + String.join(" or ", conditions) + ")", args);
    }

    private Map<String, List<Row>> read(Connection c, String pipelineId, String sliceCondition, List<Object> sliceArgs, String... metrics)
            throws SQLException {
        List<Object> args = new ArrayList<>();
        args.add(pipelineId);
        args.addAll(sliceArgs);
        args.addAll(List.of(metrics));
        return read(c, sliceCondition + " and g.metric in (" + "?,".repeat(metrics.length - 1) + "?)", args);
    }

    /**
     * Reads the counts of the groups selected by the condition on {@code g} (its arguments follow the pipeline id), each
     * as one range of ids, and puts them together with their keys; the keys of the groups are read when a count's key
     * is not remembered yet.
     */
    private Map<String, List<Row>> read(Connection c, String groups, List<Object> args) throws SQLException {
        List<Count> counts = new ArrayList<>();
        // a row left without deals may still hold part of an amount when the counter has two rows: only empty rows are skipped
        Jdbc.query(c, "select t.cell_id, t.n, t.amount" + GROUP_RANGES.formatted("tally") + groups + " and (t.n <> 0 or t.amount <> 0)", args,
                rs -> counts.add(new Count(rs.getLong(1), rs.getLong(2), rs.getBigDecimal(3))));
        if (counts.stream().anyMatch(count -> !keys.containsKey(count.id()))) {
            if (keys.size() > REMEMBERED_KEYS) {
                keys.clear();
            }
            Jdbc.query(c, "select t.cell_id, g.slice, g.metric, t.k1, t.k2, t.k3, t.k4" + GROUP_RANGES.formatted("tally_key") + groups, args,
                    rs -> keys.put(rs.getLong(1), new Key(rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                            rs.getString(7))));
        }
        Map<String, Map<List<String>, Row>> slices = new TreeMap<>();
        for (Count count : counts) {
            Key key = keys.get(count.id());
            if (key != null) {
                add(slices, key.slice(), new Row(key.metric(), key.k1(), key.k2(), key.k3(), key.k4(), count.n(), count.amount()));
            }
        }
        return withoutZeros(slices);
    }

    /** Two instances may have created the same counter at the same moment: rows with the same key add up. */
    private static void add(Map<String, Map<List<String>, Row>> slices, String slice, Row row) {
        slices.computeIfAbsent(slice, s -> new LinkedHashMap<>()).merge(List.of(row.metric(), row.k1(), row.k2(), row.k3(), row.k4()), row,
                (a, b) -> new Row(a.metric(), a.k1(), a.k2(), a.k3(), a.k4(), a.n() + b.n(), a.amount().add(b.amount())));
    }

    private static Map<String, List<Row>> withoutZeros(Map<String, Map<List<String>, Row>> slices) {
        Map<String, List<Row>> rows = new TreeMap<>();
        slices.forEach((slice, counters) -> {
            List<Row> nonZero = counters.values().stream().filter(r -> r.n() != 0).toList();
            if (!nonZero.isEmpty()) {
                rows.put(slice, nonZero);
            }
        });
        return rows;
    }

    private static List<Row> all(Map<String, List<Row>> slices) {
        return slices.values().stream().flatMap(List::stream).toList();
    }
}
