package io.dealflow.analytics.journey;

import io.dealflow.analytics.common.Jdbc;
import io.dealflow.analytics.funnel.FunnelFilter;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The stored history of each deal (its stays in stages, amounts and close-date changes), for the questions about how
 * the pipeline stood and moved in the past. Deals are read a chunk at a time, so memory stays flat however large the
 * pipeline.
 */
@Singleton
class DealHistories {

    private final int chunkSize;

    DealHistories(@Value("${dealflow.history.chunk-size:20000}") int chunkSize) {
        this.chunkSize = chunkSize;
    }

    record Visit(long seq, String stageId, int probability, Instant entered, Instant left, String endedBy) {

        boolean openAt(Instant t) {
            return !entered.isAfter(t) && (left == null || left.isAfter(t));
        }

        /** Open just before {@code t}: an edit made at the instant of a stage change counts as made just before it. */
        boolean openJustBefore(Instant t) {
            return entered.isBefore(t) && (left == null || !left.isBefore(t));
        }
    }

    record Amount(Instant from, long seq, BigDecimal amount, String currency, String kind) {
    }

    record CloseChange(Instant at, LocalDate oldDate, LocalDate newDate) {
    }

    record Deal(String dealId, String status, LocalDate expectedClose, List<Visit> visits, List<Amount> amounts,
                List<CloseChange> closeChanges) {

        /** Its latest amount from {@code t} or before (none before it was created). */
        Amount amountAt(Instant t) {
            Amount found = null;
            for (Amount a : amounts) {
                if (!a.from().isAfter(t)) {
                    found = a;
                }
            }
            return found;
        }

        /** Whether it was open just before {@code t} (see {@link Visit#openJustBefore}). */
        boolean openJustBefore(Instant t) {
            return visits.stream().anyMatch(v -> v.openJustBefore(t));
        }
    }

    /**
     * Hands every deal of the filter that lived during [{@code from}, {@code to}] (created by {@code to}, and open now
     * or last closed at or after {@code from}) to {@code each}, in deal id order: one ordered pass over those deals, and
     * for each chunk of them the rows of the history tables in the chunk's id range.
     */
    void forEach(Connection c, FunnelFilter filter, Instant from, Instant to, Consumer<Deal> each) throws SQLException {
        List<Object> args = FunnelFilter.args();
        String where = filter.where(args) + " and d.created_at <= ? and (d.closed_at is null or d.closed_at >= ?)";
        args.add(Timestamp.from(to));
        args.add(Timestamp.from(from));
        Map<String, Deal> chunk = new LinkedHashMap<>();
        String[] after = {""};
        Jdbc.stream(c, "select d.deal_id, d.status, d.expected_close from deal d where " + where + " order by d.deal_id", args, rs -> {
            chunk.put(rs.getString(1), new Deal(rs.getString(1), rs.getString(2), date(rs.getDate(3)), new ArrayList<>(), new ArrayList<>(),
                    new ArrayList<>()));
            if (chunk.size() == chunkSize) {
                after[0] = complete(c, chunk, after[0], each);
            }
        });
        if (!chunk.isEmpty()) {
            complete(c, chunk, after[0], each);
        }
    }

    /** Reads the histories of the chunk's deals, hands them on and empties the chunk; returns the chunk's last id. */
    private static String complete(Connection c, Map<String, Deal> chunk, String after, Consumer<Deal> each) throws SQLException {
        String end = null;
        for (String id : chunk.keySet()) {
            end = id;
        }
        readHistories(c, chunk, after, end);
        chunk.values().forEach(each);
        chunk.clear();
        return end;
    }

    /**
     * Adds to the chunk's deals their rows of each history table, read by a range of the table's primary key (a join let
     * PostgreSQL scan the whole table per chunk, and H2 answers {@code = any(ids)} row by row); rows of other deals in
     * the range are skipped.
     */
    private static void readHistories(Connection c, Map<String, Deal> deals, String after, String end) throws SQLException {
        List<Object> range = List.of(after, end);
        Jdbc.query(c, "select deal_id, seq, stage_id, probability, entered_at, left_at, ended_by from stage_visit where deal_id > ? and deal_id <= ?"
                + " order by deal_id, seq", range, rs -> {
            Deal deal = deals.get(rs.getString(1));
            if (deal != null) {
                deal.visits().add(new Visit(rs.getLong(2), rs.getString(3), rs.getInt(4), rs.getTimestamp(5).toInstant(),
                        Jdbc.instant(rs.getTimestamp(6)), rs.getString(7)));
            }
        });
        Jdbc.query(c, "select deal_id, valid_from, seq, amount, currency, kind from deal_amount where deal_id > ? and deal_id <= ?"
                + " order by deal_id, seq", range, rs -> {
            Deal deal = deals.get(rs.getString(1));
            if (deal != null) {
                deal.amounts().add(new Amount(rs.getTimestamp(2).toInstant(), rs.getLong(3), rs.getBigDecimal(4), rs.getString(5).strip(),
                        rs.getString(6)));
            }
        });
        Jdbc.query(c, "select deal_id, changed_at, old_date, new_date from close_date_change where deal_id > ? and deal_id <= ?"
                + " order by deal_id, seq", range, rs -> {
            Deal deal = deals.get(rs.getString(1));
            if (deal != null) {
                deal.closeChanges().add(new CloseChange(rs.getTimestamp(2).toInstant(), date(rs.getDate(3)), date(rs.getDate(4))));
            }
        });
    }

    private static LocalDate date(Date date) {
        return date == null ? null : date.toLocalDate();
    }
}
