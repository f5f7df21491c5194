package io.dealflow.analytics.projection;

import io.dealflow.analytics.common.Jdbc;
import io.dealflow.analytics.tally.Phases;
import io.dealflow.analytics.tally.ReachedFlags;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the deals a batch touches with a few set queries and writes back what the batch changed with JDBC
 * batches: one round of statements per table instead of several statements per event. The per-stage and per-phase
 * flags are not stored: they follow from the visits.
 */
final class DealStateStore {

    private static final int CHUNK = 500;

    private DealStateStore() {
    }

    /** The stored state of these deals; a deal not stored yet comes back empty ({@link DealState#exists()} false). */
    static Map<String, DealState> load(Connection c, Collection<String> dealIds) throws SQLException {
        Map<String, DealState> states = new HashMap<>();
        for (String id : dealIds) {
            states.put(id, new DealState(id));
        }
        List<String> ids = new ArrayList<>(dealIds);
        for (int from = 0; from < ids.size(); from += CHUNK) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
            String in = " in (" + "?,".repeat(chunk.size() - 1) + "?)";
            Jdbc.query(c, """
                    select deal_id, pipeline_id, status, stage_id, stage_position, max_position, stage_probability, owner_id, source,
                        amount, currency, expected_close, created_at, closed_at, lost_reason, last_seq, gaps, created_month,
                        created_week, won_cycle_seconds, close_slips from deal where deal_id""" + in, new ArrayList<>(chunk), rs -> {
                DealState d = states.get(rs.getString(1));
                d.stored = true;
                d.pipelineId = rs.getString(2);
                d.status = rs.getString(3);
                d.stageId = rs.getString(4);
                d.stagePosition = rs.getInt(5);
                d.maxPosition = rs.getInt(6);
                d.stageProbability = rs.getInt(7);
                d.ownerId = rs.getString(8);
                d.source = rs.getString(9);
                d.amount = rs.getBigDecimal(10);
                d.currency = rs.getString(11).strip();
                Date close = rs.getDate(12);
                d.expectedClose = close == null ? null : close.toLocalDate();
                d.createdAt = instant(rs.getTimestamp(13));
                d.closedAt = instant(rs.getTimestamp(14));
                d.lostReason = rs.getString(15);
                d.lastSeq = rs.getLong(16);
                d.storedSeq = d.lastSeq;
                d.gaps = rs.getInt(17);
                d.createdMonth = rs.getString(18);
                d.createdWeek = rs.getString(19);
                long cycle = rs.getLong(20);
                d.wonCycleSeconds = rs.wasNull() ? null : cycle;
                d.closeSlips = rs.getInt(21);
            });
            Jdbc.query(c, """
                    select deal_id, seq, stage_id, entered_at, position, phase, probability, left_at, duration_seconds, ended_by
                    from stage_visit where deal_id""" + in + " order by deal_id, seq", new ArrayList<>(chunk), rs -> {
                DealState.Visit v = new DealState.Visit(rs.getLong(2), rs.getString(3), instant(rs.getTimestamp(4)), rs.getInt(5),
                        rs.getString(6), rs.getInt(7), true);
                v.leftAt = instant(rs.getTimestamp(8));
                long duration = rs.getLong(9);
                v.durationSeconds = rs.wasNull() ? null : duration;
                v.endedBy = rs.getString(10);
                states.get(rs.getString(1)).visits.add(v);
            });
        }
        states.values().forEach(DealStateStore::deriveFlags);
        return states;
    }

    private static void deriveFlags(DealState d) {
        List<ReachedFlags.Step> stages = new ArrayList<>(d.visits.size());
        List<ReachedFlags.Step> phases = new ArrayList<>(d.visits.size());
        for (DealState.Visit v : d.visits) {
            stages.add(new ReachedFlags.Step(v.stageId, v.position, v.endedBy));
            phases.add(new ReachedFlags.Step(v.phase, Phases.ordinal(v.phase), v.endedBy));
        }
        copy(ReachedFlags.of(stages), d.stages);
        copy(ReachedFlags.of(phases), d.phases);
    }

    private static void copy(Map<String, ReachedFlags.Flags> flags, Map<String, DealState.Reached> into) {
        flags.forEach((key, f) -> {
            DealState.Reached r = new DealState.Reached(f.order());
            r.advanced = f.advanced();
            r.lost = f.lost();
            into.put(key, r);
        });
    }

    /** Writes what changed: new rows inserted, changed rows updated, history rows appended. */
    static void save(Connection c, Collection<DealState> states) throws SQLException {
        List<DealState> changed = states.stream().filter(d -> d.dirty && d.exists())
                .sorted(Comparator.comparing((DealState d) -> d.dealId)).toList();
        try (PreparedStatement insert = c.prepareStatement("""
                insert into deal (pipeline_id, status, stage_id, stage_position, max_position, stage_probability, owner_id, source,
                    amount, currency, expected_close, created_at, closed_at, lost_reason, last_seq, gaps, created_month, created_week,
                    won_cycle_seconds, close_slips, deal_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""");
             PreparedStatement update = c.prepareStatement("""
                update deal set pipeline_id = ?, status = ?, stage_id = ?, stage_position = ?, max_position = ?, stage_probability = ?,
                    owner_id = ?, source = ?, amount = ?, currency = ?, expected_close = ?, created_at = ?, closed_at = ?, lost_reason = ?,
                    last_seq = ?, gaps = ?, created_month = ?, created_week = ?, won_cycle_seconds = ?, close_slips = ?
                where deal_id = ? and last_seq = ?""")) {
            for (DealState d : changed) {
                PreparedStatement s = d.stored ? update : insert;
                int i = 0;
                s.setString(++i, d.pipelineId);
                s.setString(++i, d.status);
                s.setString(++i, d.stageId);
                s.setInt(++i, d.stagePosition);
                s.setInt(++i, d.maxPosition);
                s.setInt(++i, d.stageProbability);
                s.setString(++i, d.ownerId);
                s.setString(++i, d.source);
                s.setBigDecimal(++i, d.amount);
                s.setString(++i, d.currency);
                s.setObject(++i, d.expectedClose == null ? null : Date.valueOf(d.expectedClose), Types.DATE);
                s.setTimestamp(++i, Timestamp.from(d.createdAt));
                s.setTimestamp(++i, d.closedAt == null ? null : Timestamp.from(d.closedAt));
                s.setString(++i, d.lostReason);
                s.setLong(++i, d.lastSeq);
                s.setInt(++i, d.gaps);
                s.setString(++i, d.createdMonth);
                s.setString(++i, d.createdWeek);
                s.setObject(++i, d.wonCycleSeconds, Types.BIGINT);
                s.setInt(++i, d.closeSlips);
                s.setString(++i, d.dealId);
                if (d.stored) {
                    s.setLong(++i, d.storedSeq);
                }
                s.addBatch();
            }
            insert.executeBatch();
            for (int count : update.executeBatch()) {
                if (count == 0) {
                    throw new ConcurrentApplication();
                }
            }
        }
        saveVisits(c, changed);
        try (PreparedStatement amounts = c.prepareStatement(
                "insert into deal_amount (deal_id, valid_from, seq, amount, currency, kind) values (?, ?, ?, ?, ?, ?)");
             PreparedStatement closeDates = c.prepareStatement(
                "insert into close_date_change (deal_id, seq, pipeline_id, changed_at, old_date, new_date) values (?, ?, ?, ?, ?, ?)")) {
            for (DealState d : changed) {
                for (DealState.AmountChange a : d.amountChanges) {
                    amounts.setString(1, d.dealId);
                    amounts.setTimestamp(2, Timestamp.from(a.validFrom()));
                    amounts.setLong(3, a.seq());
                    amounts.setBigDecimal(4, a.amount());
                    amounts.setString(5, a.currency());
                    amounts.setString(6, a.kind());
                    amounts.addBatch();
                }
                for (DealState.CloseDateChange ch : d.closeDateChanges) {
                    closeDates.setString(1, d.dealId);
                    closeDates.setLong(2, ch.seq());
                    closeDates.setString(3, d.pipelineId);
                    closeDates.setTimestamp(4, Timestamp.from(ch.changedAt()));
                    closeDates.setObject(5, date(ch.oldDate()), Types.DATE);
                    closeDates.setObject(6, date(ch.newDate()), Types.DATE);
                    closeDates.addBatch();
                }
            }
            amounts.executeBatch();
            closeDates.executeBatch();
        }
    }

    private static void saveVisits(Connection c, List<DealState> deals) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("""
                insert into stage_visit (deal_id, seq, pipeline_id, stage_id, entered_at, position, phase, probability, left_at,
                    duration_seconds, ended_by) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""");
             PreparedStatement update = c.prepareStatement(
                     "update stage_visit set left_at = ?, duration_seconds = ?, ended_by = ? where deal_id = ? and seq = ?")) {
            for (DealState d : deals) {
                for (DealState.Visit v : d.visits) {
                    if (!v.stored) {
                        insert.setString(1, d.dealId);
                        insert.setLong(2, v.seq);
                        insert.setString(3, d.pipelineId);
                        insert.setString(4, v.stageId);
                        insert.setTimestamp(5, Timestamp.from(v.enteredAt));
                        insert.setInt(6, v.position);
                        insert.setString(7, v.phase);
                        insert.setInt(8, v.probability);
                        insert.setTimestamp(9, v.leftAt == null ? null : Timestamp.from(v.leftAt));
                        insert.setObject(10, v.durationSeconds, Types.BIGINT);
                        insert.setString(11, v.endedBy);
                        insert.addBatch();
                    } else if (v.dirty) {
                        update.setTimestamp(1, Timestamp.from(v.leftAt));
                        update.setObject(2, v.durationSeconds, Types.BIGINT);
                        update.setString(3, v.endedBy);
                        update.setString(4, d.dealId);
                        update.setLong(5, v.seq);
                        update.addBatch();
                    }
                }
            }
            insert.executeBatch();
            update.executeBatch();
        }
    }

    private static Date date(LocalDate day) {
        return day == null ? null : Date.valueOf(day);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
