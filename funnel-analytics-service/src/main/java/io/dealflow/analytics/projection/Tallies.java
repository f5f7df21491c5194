package io.dealflow.analytics.projection;

import io.dealflow.analytics.common.Jdbc;
import io.dealflow.analytics.tally.BucketCounts;
import io.dealflow.analytics.tally.DurationSketch;
import io.dealflow.analytics.tally.TallyMetric;
import io.dealflow.analytics.tally.TallySlice;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The pre-aggregated counters the funnel, phase and forecast queries read instead of scanning deals. Every
 * counter is the sum, over the deals of a slice, of what each deal contributes ({@link #add}); a batch adds
 * each touched deal's contribution after the batch and subtracts the one from before, so the counters always
 * equal a recount from the deal tables. Slices: all deals of a pipeline, per owner, per source, per creation month.
 */
final class Tallies {

    /**
     * What one counter counts: its group (pipeline, slice, metric) and keys; unused keys are empty strings. The metrics
     * and their keys are described in {@link TallyMetric}, how they are stored in db/read-model/V1__read_model.sql.
     */
    record Cell(String pipelineId, String slice, String metric, String k1, String k2, String k3, String k4) {

        // Written out: the generated methods of a seven-component record went through a method-handle chain that the
        // compiler left partly uninlined, and the counters' map lookups made them about a third of the projection's CPU.
        @Override
        public boolean equals(Object o) {
            return this == o || o instanceof Cell c && Objects.equals(metric, c.metric) && Objects.equals(k1, c.k1)
                    && Objects.equals(slice, c.slice) && Objects.equals(k2, c.k2) && Objects.equals(pipelineId, c.pipelineId)
                    && Objects.equals(k3, c.k3) && Objects.equals(k4, c.k4);
        }

        @Override
        public int hashCode() {
            int h = Objects.hashCode(pipelineId);
            h = 31 * h + Objects.hashCode(slice);
            h = 31 * h + Objects.hashCode(metric);
            h = 31 * h + Objects.hashCode(k1);
            h = 31 * h + Objects.hashCode(k2);
            h = 31 * h + Objects.hashCode(k3);
            return 31 * h + Objects.hashCode(k4);
        }
    }

    private static final class Delta {
        long n;
        BigDecimal amount = BigDecimal.ZERO;
        /** Counts per bucket, for the counters that keep them ({@link #countIn}). */
        BucketCounts buckets;

        boolean isZero() {
            return n == 0 && amount.signum() == 0 && (buckets == null || buckets.isEmpty());
        }
    }

    /** Ids per locking query: far below the bind parameters a statement may have. */
    private static final int LOCK_CHUNK = 1000;

    private final Map<Cell, Delta> deltas = new HashMap<>();

    /** Adds ({@code sign} 1) or takes away ({@code sign} -1) what one deal contributes to every counter. */
    void add(DealState d, int sign) {
        if (!d.exists()) {
            return;
        }
        List<String> slices = new ArrayList<>(3);
        slices.add(TallySlice.ALL_DEALS);
        // deals without an owner have a slice too, so the owners' slips add up to the total
        slices.add(TallySlice.owner(d.ownerId == null ? "" : d.ownerId));
        if (d.source != null) {
            slices.add(TallySlice.source(d.source));
        }
        boolean open = "OPEN".equals(d.status);
        int createdDay = (int) LocalDate.ofInstant(d.createdAt, ZoneOffset.UTC).toEpochDay();
        for (String slice : slices) {
            funnel(d, slice, open, sign);
            d.phases.forEach((phase, r) -> flags(d.pipelineId, slice, PHASE_FLAGS, phase, r, sign));
            count(cell(d.pipelineId, slice, TallyMetric.PHASE_REACH, Integer.toString(d.maxPhase()), d.status, "", ""), sign, null);
            if (open) {
                count(cell(d.pipelineId, slice, TallyMetric.OPEN, d.expectedClose == null ? "" : d.expectedClose.toString().substring(0, 7),
                        d.currency, d.stageId, Integer.toString(d.stageProbability)), sign, d.amount);
            }
            countIn(cell(d.pipelineId, slice, TallyMetric.COHORT, d.status, "", "", ""), sign, createdDay, null);
            count(cell(d.pipelineId, slice, TallyMetric.STATUS, d.status, d.currency, "", ""), sign, d.amount);
            if ("WON".equals(d.status) && d.wonCycleSeconds != null) {
                stay(cell(d.pipelineId, slice, TallyMetric.CYCLE, "", "", "", ""), sign, d.wonCycleSeconds);
            }
            if ("LOST".equals(d.status) && d.lostReason != null) {
                count(cell(d.pipelineId, slice, TallyMetric.LOST_REASON, d.lostReason, "", "", ""), sign, null);
            }
            if (d.closeSlips > 0) {
                count(cell(d.pipelineId, slice, TallyMetric.SLIPS, "", "", "", ""), sign * d.closeSlips, null);
                count(cell(d.pipelineId, slice, TallyMetric.SLIPPING, "", "", "", ""), sign, null);
            }
        }
        // the deals created in the same month keep the funnel's counters once more, so whole-month windows read counters too
        funnel(d, TallySlice.created(d.createdMonth), open, sign);
        if (d.closeSlips > 0) {
            count(cell(d.pipelineId, TallySlice.ALL_DEALS, TallyMetric.SLIPS_OWNER, d.ownerId == null ? "" : d.ownerId, "", "", ""),
                    sign * d.closeSlips, null);
        }
        if (!open) {
            // closed deals per month, and per day in a group of their own per month (V14): a look-back reads whole months
            // and only the days of the months it cuts
            LocalDate closedDay = LocalDate.ofInstant(d.closedAt, ZoneOffset.UTC);
            String month = closedDay.toString().substring(0, 7);
            count(cell(d.pipelineId, TallySlice.ALL_DEALS, TallyMetric.CLOSED_MONTH, month, d.status, Integer.toString(d.maxPosition), ""), sign, null);
            count(cell(d.pipelineId, TallySlice.ALL_DEALS, TallyMetric.closedDays(month), closedDay.toString(), d.status,
                    Integer.toString(d.maxPosition), ""), sign, null);
        }
    }

    /** The counters the funnel reads: stage flags, reach, open deals per stage, time-in-stage buckets. */
    private void funnel(DealState d, String slice, boolean open, int sign) {
        d.stages.forEach((stage, r) -> flags(d.pipelineId, slice, STAGE_FLAGS, stage, r, sign));
        count(cell(d.pipelineId, slice, TallyMetric.REACH, Integer.toString(d.maxPosition), d.status, "", ""), sign, null);
        if (open) {
            count(cell(d.pipelineId, slice, TallyMetric.STAGE_CURRENT, d.stageId, "", "", ""), sign, null);
        }
        for (DealState.Visit v : d.visits) {
            if (v.durationSeconds != null) {
                stay(cell(d.pipelineId, slice, TallyMetric.TIME, v.stageId, "", "", ""), sign, v.durationSeconds);
            }
        }
    }

    /** The counters with changes not written yet. */
    int pendingCells() {
        return deltas.size();
    }

    /**
     * Adds the non-zero changes to the counters: first to the cells that have a row, in the order of their ids (the
     * same in every transaction, so concurrent writers never deadlock on the shared rows); then new cells get rows.
     * Returns the ids created, to {@link TallyCells#remember} once the transaction committed.
     */
    TallyCells.Created write(Connection c, TallyCells cells) throws SQLException {
        List<Map.Entry<Cell, Delta>> changes = deltas.entrySet().stream().filter(e -> !e.getValue().isZero()).toList();
        deltas.clear();
        List<Map.Entry<Cell, Delta>> unwritten = addToExisting(c, changes, cells);
        if (unwritten.isEmpty()) {
            return TallyCells.Created.NOTHING;
        }
        // a remembered id without a row (the tables were emptied by a rebuild) is looked up once more
        unwritten.forEach(e -> cells.forget(e.getKey()));
        return insertCounters(c, addToExisting(c, unwritten, cells), cells);
    }

    /** Adds to the counters of the cells that have a row; returns the changes of the others. */
    private static List<Map.Entry<Cell, Delta>> addToExisting(Connection c, List<Map.Entry<Cell, Delta>> changes, TallyCells cells)
            throws SQLException {
        List<Long> ids = cells.find(c, changes.stream().map(Map.Entry::getKey).toList());
        List<Map.Entry<Cell, Delta>> unwritten = new ArrayList<>();
        List<Integer> existing = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            if (ids.get(i) == null) {
                unwritten.add(changes.get(i));
            } else {
                existing.add(i);
            }
        }
        if (existing.isEmpty()) {
            return unwritten;
        }
        existing.sort(Comparator.comparing(ids::get));
        // the stays per bucket are one value to read and write back: those rows are locked first, all in id order, so
        // concurrent writers still take every lock in the same order
        Map<Long, byte[]> stored = lockBuckets(c, existing.stream().filter(i -> changes.get(i).getValue().buckets != null).map(ids::get).toList());
        try (PreparedStatement update = c.prepareStatement("update tally set n = n + ?, amount = amount + ? where cell_id = ?");
             PreparedStatement updateBuckets = c.prepareStatement("update tally set n = n + ?, amount = amount + ?, buckets = ? where cell_id = ?")) {
            List<Integer> plain = new ArrayList<>();
            List<Integer> withBuckets = new ArrayList<>();
            for (int i : existing) {
                Delta delta = changes.get(i).getValue();
                long id = ids.get(i);
                if (delta.buckets == null) {
                    update.setLong(1, delta.n);
                    update.setBigDecimal(2, delta.amount);
                    update.setLong(3, id);
                    update.addBatch();
                    plain.add(i);
                } else if (stored.containsKey(id)) {
                    BucketCounts buckets = BucketCounts.of(stored.get(id));
                    buckets.addAll(delta.buckets);
                    updateBuckets.setLong(1, delta.n);
                    updateBuckets.setBigDecimal(2, delta.amount);
                    updateBuckets.setBytes(3, buckets.encode());
                    updateBuckets.setLong(4, id);
                    updateBuckets.addBatch();
                    withBuckets.add(i);
                } else {
                    unwritten.add(changes.get(i));
                }
            }
            unwrittenOf(updateBuckets.executeBatch(), withBuckets, changes, unwritten);
            unwrittenOf(update.executeBatch(), plain, changes, unwritten);
        }
        return unwritten;
    }

    /** The stored buckets of these counters (ascending ids), each row locked until the transaction ends; absent where no row is. */
    private static Map<Long, byte[]> lockBuckets(Connection c, List<Long> ids) throws SQLException {
        Map<Long, byte[]> stored = new HashMap<>();
        for (int from = 0; from < ids.size(); from += LOCK_CHUNK) {
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + LOCK_CHUNK));
            Jdbc.query(c, "select cell_id, buckets from tally where cell_id in (" + "?,".repeat(chunk.size() - 1) + "?) order by cell_id for update",
                    List.copyOf(chunk), rs -> stored.put(rs.getLong(1), rs.getBytes(2)));
        }
        return stored;
    }

    /** The changes whose update found no row (the tables were emptied by a rebuild). */
    private static void unwrittenOf(int[] counts, List<Integer> written, List<Map.Entry<Cell, Delta>> changes,
            List<Map.Entry<Cell, Delta>> unwritten) {
        for (int j = 0; j < counts.length; j++) {
            if (counts[j] == 0) {
                unwritten.add(changes.get(written.get(j)));
            }
        }
    }

    /** Creates the cells that have no row yet, with their counters. */
    private static TallyCells.Created insertCounters(Connection c, List<Map.Entry<Cell, Delta>> changes, TallyCells cells) throws SQLException {
        if (changes.isEmpty()) {
            return TallyCells.Created.NOTHING;
        }
        TallyCells.Created created = cells.create(c, changes.stream().map(Map.Entry::getKey).toList());
        try (PreparedStatement insert = c.prepareStatement("insert into tally (cell_id, n, amount, buckets) values (?, ?, ?, ?)")) {
            for (int i = 0; i < changes.size(); i++) {
                Delta delta = changes.get(i).getValue();
                insert.setLong(1, created.ids().get(i));
                insert.setLong(2, delta.n);
                insert.setBigDecimal(3, delta.amount);
                insert.setBytes(4, delta.buckets == null ? null : delta.buckets.encode());
                insert.addBatch();
            }
            insert.executeBatch();
        }
        return created;
    }

    /** The metrics of a stage's or a phase's flags: entered, advanced, lost there. */
    private record Flags(String entered, String advanced, String lost) {
    }

    private static final Flags STAGE_FLAGS = new Flags(TallyMetric.STAGE_ENTERED, TallyMetric.STAGE_ADVANCED, TallyMetric.STAGE_LOST);
    private static final Flags PHASE_FLAGS = new Flags(TallyMetric.PHASE_ENTERED, TallyMetric.PHASE_ADVANCED, TallyMetric.PHASE_LOST);

    private void flags(String pipelineId, String slice, Flags metrics, String key, DealState.Reached r, int sign) {
        count(cell(pipelineId, slice, metrics.entered(), key, "", "", ""), sign, null);
        if (r.advanced) {
            count(cell(pipelineId, slice, metrics.advanced(), key, "", "", ""), sign, null);
        }
        if (r.lost) {
            count(cell(pipelineId, slice, metrics.lost(), key, "", "", ""), sign, null);
        }
    }

    private static Cell cell(String pipelineId, String slice, String metric, String k1, String k2, String k3, String k4) {
        return new Cell(pipelineId, slice, metric, k1, k2, k3, k4);
    }

    /** A stay (or sales cycle) of this many seconds added to or taken away from a 'time' or 'cycle' counter. */
    private void stay(Cell cell, int sign, long seconds) {
        countIn(cell, sign, DurationSketch.bucket(seconds), BigDecimal.valueOf(seconds));
    }

    /** Counts a deal in one bucket of a counter that keeps its counts per bucket ('time', 'cycle', 'cohort'). */
    private void countIn(Cell cell, int sign, int bucket, BigDecimal amount) {
        count(cell, sign, amount);
        Delta delta = deltas.get(cell);
        if (delta.buckets == null) {
            delta.buckets = new BucketCounts();
        }
        delta.buckets.add(bucket, sign);
    }

    private void count(Cell cell, int n, BigDecimal amount) {
        Delta delta = deltas.computeIfAbsent(cell, k -> new Delta());
        delta.n += n;
        if (amount != null) {
            delta.amount = n < 0 ? delta.amount.subtract(amount) : delta.amount.add(amount);
        }
    }
}
