package io.dealflow.analytics.funnel;

import io.dealflow.analytics.common.Jdbc;
import io.dealflow.analytics.tally.BucketCounts;
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
import java.util.stream.Stream;

/**
 * Reads the projection's pre-aggregated counters (described in V4__tally.sql, V7, V10, V16; stored as V11 says): the
 * groups of the slices and metrics asked for, then each group's counts as one range of ids. A counter's key never
 * changes (its id is never reused), so the keys are remembered once read and a query reads only the counts.
 */
@Singleton
public class TallyRows {

    /** {@code buckets}: the counts per bucket of a 'time', 'cycle' or 'cohort' counter ({@link BucketCounts}, V16), else null. */
    public record Row(String metric, String k1, String k2, String k3, String k4, long n, BigDecimal amount, byte[] buckets) {
    }

    private record Key(String slice, String metric, String k1, String k2, String k3, String k4) {
    }

    /** A counter whose key is remembered; {@code shared} when another counter has the same key (see {@link #add}). */
    private record KnownCell(long id, Key key, boolean shared) {
    }

    /** The rows of one slice: counters with one row each as they come, those with several added up by key. */
    private static final class SliceRows {
        private final List<Row> rows = new ArrayList<>();
        private final Map<Key, Row> shared = new HashMap<>();

        void add(KnownCell cell, Row row) {
            if (cell.shared()) {
                TallyRows.add(shared, cell.key(), row);
            } else {
                rows.add(row);
            }
        }

        /** Counters that went back to zero (all their deals moved on) are left out. */
        List<Row> nonZero() {
            return Stream.concat(rows.stream(), shared.values().stream()).filter(r -> r.n() != 0).toList();
        }
    }

    private record Count(long id, long n, BigDecimal amount, byte[] buckets) {
    }

    /** Far more than the counters a pipeline's queries read; past it the remembered keys are read again as needed. */
    private static final int REMEMBERED_KEYS = 250_000;

    private final Map<Integer, KnownCell> keys = new ConcurrentHashMap<>();

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
        Map<Key, Row> window = new LinkedHashMap<>();
        months.values().forEach(rows -> rows.forEach(row -> add(window, new Key("", row.metric(), row.k1(), row.k2(), row.k3(), row.k4()), row)));
        return window.values().stream().filter(r -> r.n() != 0).toList();
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
        Jdbc.query(c, "select t.cell_id, t.n, t.amount, t.buckets" + GROUP_RANGES.formatted("tally") + groups
                + " and (t.n <> 0 or t.amount <> 0 or t.buckets is not null)", args,
                rs -> counts.add(new Count(rs.getLong(1), rs.getLong(2), rs.getBigDecimal(3), rs.getBytes(4))));
        Map<String, SliceRows> slices = new TreeMap<>();
        if (!addAll(slices, counts)) {
            // a new counter, maybe with the key of one remembered: all are put together again once the keys are read
            rememberKeys(c, groups, args);
            slices.clear();
            addAll(slices, counts);
        }
        Map<String, List<Row>> rows = new TreeMap<>();
        slices.forEach((slice, sliceRows) -> {
            List<Row> nonZero = sliceRows.nonZero();
            if (!nonZero.isEmpty()) {
                rows.put(slice, nonZero);
            }
        });
        return rows;
    }

    /** Reads the keys of every counter of the groups, marking the keys that more than one counter has. */
    private void rememberKeys(Connection c, String groups, List<Object> args) throws SQLException {
        if (keys.size() > REMEMBERED_KEYS) {
            keys.clear();
        }
        Map<Long, Key> read = new HashMap<>();
        Jdbc.query(c, "select t.cell_id, g.slice, g.metric, t.k1, t.k2, t.k3, t.k4" + GROUP_RANGES.formatted("tally_key") + groups, args,
                // interned: the counters of a query share a few slices, metrics and keys, which then stay in the CPU's cache
                rs -> read.put(rs.getLong(1), new Key(rs.getString(2).intern(), rs.getString(3).intern(), rs.getString(4).intern(),
                        rs.getString(5).intern(), rs.getString(6).intern(), rs.getString(7).intern())));
        Map<Key, Integer> cellsPerKey = new HashMap<>();
        read.values().forEach(key -> cellsPerKey.merge(key, 1, Integer::sum));
        read.forEach((id, key) -> keys.put(sequenceNumber(id), new KnownCell(id, key, cellsPerKey.get(key) > 1)));
    }

    /**
     * The part of a cell id that no other cell has (V11: a group's id times 2^32 plus a number from one sequence), the
     * key of the remembered keys: a {@code Long} id hashes the group into the same low bits and collides.
     */
    private static int sequenceNumber(long cellId) {
        return (int) cellId;
    }

    /** Adds the counts to their slices' rows; false when a count's key is not remembered (that count is left out). */
    private boolean addAll(Map<String, SliceRows> slices, List<Count> counts) {
        boolean allKnown = true;
        for (Count count : counts) {
            KnownCell cell = keys.get(sequenceNumber(count.id()));
            if (cell == null || cell.id() != count.id()) {
                allKnown = false;
                continue;
            }
            Key key = cell.key();
            slices.computeIfAbsent(key.slice(), s -> new SliceRows())
                    .add(cell, new Row(key.metric(), key.k1(), key.k2(), key.k3(), key.k4(), count.n(), count.amount(), count.buckets()));
        }
        return allKnown;
    }

    /** Two instances may have created the same counter at the same moment: rows with the same key add up. */
    private static void add(Map<Key, Row> rows, Key key, Row row) {
        rows.merge(key, row, (a, b) -> new Row(a.metric(), a.k1(), a.k2(), a.k3(), a.k4(), a.n() + b.n(), a.amount().add(b.amount()),
                addBuckets(a.buckets(), b.buckets())));
    }

    private static byte[] addBuckets(byte[] a, byte[] b) {
        return a == null || b == null ? (a == null ? b : a) : BucketCounts.sum(a, b);
    }

    private static List<Row> all(Map<String, List<Row>> slices) {
        return slices.values().stream().flatMap(List::stream).toList();
    }
}
