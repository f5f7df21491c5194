package io.dealflow.analytics.funnel;

import io.dealflow.analytics.ingest.DecodedEvent;
import io.dealflow.events.v1.DealCreated;
import io.dealflow.events.v1.DealEvent;
import io.dealflow.events.v1.DealLost;
import io.dealflow.events.v1.DealMovedToStage;
import io.dealflow.events.v1.DealReopened;
import io.dealflow.events.v1.DealUpdated;
import io.dealflow.events.v1.DealWon;
import io.dealflow.events.v1.PipelineDefined;
import io.dealflow.events.v1.StageInfo;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Applies public deal events to the funnel read model. A batch is applied in one transaction; an event
 * whose sequence number is not newer than the deal's last applied one changes nothing (idempotent).
 */
@Singleton
public class FunnelProjection {

    /** A decoded record and the partition it came from; poison has already been parked on the dead-letter topic. */
    public record Delivery(int partition, DecodedEvent event) {
    }

    /** What applying one event did. */
    enum Result { APPLIED, APPLIED_AFTER_GAP, DUPLICATE, ORPHAN }

    /** What a batch did, summed over its partitions. */
    public record Summary(int applied, int duplicates, int unknown, int deadLetters, int gaps) {
    }

    private static final class Tally {
        int applied;
        int duplicates;
        int unknown;
        int deadLetters;
        int gaps;
        Instant newest;
    }

    private final DataSource dataSource;

    public FunnelProjection(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Applies a batch and the per-partition progress in one transaction. */
    public Summary apply(List<Delivery> deliveries) {
        Map<Integer, Tally> tallies = new TreeMap<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                for (Delivery delivery : deliveries) {
                    Tally tally = tallies.computeIfAbsent(delivery.partition(), p -> new Tally());
                    if (delivery.event() instanceof DecodedEvent.Known known) {
                        switch (apply(c, known)) {
                            case APPLIED -> tally.applied++;
                            case APPLIED_AFTER_GAP -> {
                                tally.applied++;
                                tally.gaps++;
                            }
                            default -> tally.duplicates++;
                        }
                        if (tally.newest == null || known.time().isAfter(tally.newest)) {
                            tally.newest = known.time();
                        }
                    } else if (delivery.event() instanceof DecodedEvent.Unknown) {
                        tally.unknown++;
                    } else {
                        tally.deadLetters++;
                    }
                }
                for (var entry : tallies.entrySet()) {
                    progress(c, entry.getKey(), entry.getValue());
                }
                c.commit();
                return new Summary(tallies.values().stream().mapToInt(t -> t.applied).sum(),
                        tallies.values().stream().mapToInt(t -> t.duplicates).sum(),
                        tallies.values().stream().mapToInt(t -> t.unknown).sum(),
                        tallies.values().stream().mapToInt(t -> t.deadLetters).sum(),
                        tallies.values().stream().mapToInt(t -> t.gaps).sum());
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not apply events", e);
        }
    }

    /**
     * Applies one event. An event whose sequence number is not newer than the deal's last applied one is a
     * duplicate and changes nothing; one that skips numbers is applied and counted as a gap.
     */
    Result apply(Connection c, DecodedEvent.Known event) throws SQLException {
        Object payload = event.payload();
        if (payload instanceof PipelineDefined p) {
            return pipelineDefined(c, p, event.sequence()) ? Result.APPLIED : Result.DUPLICATE;
        }
        if (payload instanceof DealCreated e) {
            if (lastSeq(c, e.dealId()) != null) {
                return Result.DUPLICATE;
            }
            created(c, e, event.sequence());
            return Result.APPLIED;
        }
        DealEvent e = (DealEvent) payload;
        Long last = lastSeq(c, e.dealId());
        if (last == null) {
            return Result.ORPHAN;
        }
        if (event.sequence() <= last) {
            return Result.DUPLICATE;
        }
        boolean gap = event.sequence() > last + 1;
        if (gap) {
            update(c, "update deal set gaps = gaps + 1 where deal_id = ?", e.dealId());
        }
        long seq = event.sequence();
        if (e instanceof DealMovedToStage m) {
            moved(c, m);
        } else if (e instanceof DealWon w) {
            won(c, w);
        } else if (e instanceof DealLost l) {
            lost(c, l);
        } else if (e instanceof DealReopened r) {
            reopened(c, r);
        } else if (e instanceof DealUpdated u) {
            updated(c, u, seq);
        }
        update(c, "update deal set last_seq = ? where deal_id = ?", event.sequence(), e.dealId());
        return gap ? Result.APPLIED_AFTER_GAP : Result.APPLIED;
    }

    /** Empties the read model, for a rebuild from the start of the topic. */
    public void truncate() {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            for (String table : List.of("stage_visit", "deal_stage", "deal_phase", "deal_amount", "close_date_change", "deal",
                    "pipeline_stage", "pipeline_state", "partition_progress")) {
                update(c, "delete from " + table);
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not empty the read model", e);
        }
    }

    private boolean pipelineDefined(Connection c, PipelineDefined p, long seq) throws SQLException {
        Long last = single(c, "select last_seq from pipeline_state where pipeline_id = ?", p.pipelineId());
        if (last != null && seq <= last) {
            return false;
        }
        if (last == null) {
            update(c, "insert into pipeline_state (pipeline_id, name, last_seq) values (?, ?, ?)", p.pipelineId(), p.name(), seq);
        } else {
            update(c, "update pipeline_state set name = ?, last_seq = ? where pipeline_id = ?", p.name(), seq, p.pipelineId());
        }
        update(c, "delete from pipeline_stage where pipeline_id = ?", p.pipelineId());
        for (PipelineDefined.PipelineStage s : p.stages()) {
            update(c, "insert into pipeline_stage (pipeline_id, stage_id, name, position, probability, phase) values (?, ?, ?, ?, ?, ?)",
                    p.pipelineId(), s.id(), s.name(), s.position(), s.probability(), s.phase());
        }
        return true;
    }

    private void created(Connection c, DealCreated e, long seq) throws SQLException {
        LocalDate day = LocalDate.ofInstant(e.occurredAt(), ZoneOffset.UTC);
        update(c, """
                insert into deal (deal_id, pipeline_id, status, stage_id, stage_position, max_position, owner_id, source,
                    amount, currency, expected_close, created_at, last_seq, stage_probability, created_month, created_week)
                values (?, ?, 'OPEN', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                e.dealId(), e.pipelineId(), e.stage().id(), e.stage().position(), e.stage().position(), e.ownerId(),
                e.source(), new BigDecimal(e.amount().value()), e.amount().currency(), date(e.expectedCloseDate()),
                ts(e.occurredAt()), seq, e.stage().probability(), Cohorts.month(day), Cohorts.week(day));
        amount(c, e.dealId(), seq, e.occurredAt(), e.amount().value(), e.amount().currency(), "CREATED");
        enterStage(c, e.dealId(), e.pipelineId(), e.stage(), 0, e.occurredAt());
    }

    private void moved(Connection c, DealMovedToStage m) throws SQLException {
        leaveStage(c, m.dealId(), m.occurredAt(), "MOVE");
        enterStage(c, m.dealId(), m.pipelineId(), m.to(), nextVisit(c, m.dealId()), m.occurredAt());
        if (m.to().position() > m.from().position()) {
            update(c, "update deal_stage set advanced = true where deal_id = ? and position < ?", m.dealId(), m.to().position());
        }
        int toPhase = Phases.ordinal(m.to().phase());
        if (toPhase > Phases.ordinal(m.from().phase())) {
            update(c, "update deal_phase set advanced = true where deal_id = ? and ordinal < ?", m.dealId(), toPhase);
        }
        update(c, """
                update deal set stage_id = ?, stage_position = ?, stage_probability = ?,
                    max_position = case when max_position < ? then ? else max_position end
                where deal_id = ?""", m.to().id(), m.to().position(), m.to().probability(), m.to().position(), m.to().position(), m.dealId());
    }

    private void won(Connection c, DealWon w) throws SQLException {
        leaveStage(c, w.dealId(), w.occurredAt(), "WON");
        update(c, "update deal_stage set advanced = true where deal_id = ?", w.dealId());
        update(c, "update deal_phase set advanced = true where deal_id = ?", w.dealId());
        Timestamp created = timestamp(c, "select created_at from deal where deal_id = ?", w.dealId());
        long cycle = created == null ? 0 : Math.max(0, w.occurredAt().getEpochSecond() - created.toInstant().getEpochSecond());
        update(c, "update deal set status = 'WON', closed_at = ?, amount = ?, currency = ?, won_cycle_seconds = ? where deal_id = ?",
                ts(w.occurredAt()), new BigDecimal(w.amount().value()), w.amount().currency(), cycle, w.dealId());
    }

    private void lost(Connection c, DealLost l) throws SQLException {
        leaveStage(c, l.dealId(), l.occurredAt(), "LOST");
        update(c, "update deal_stage set lost = true where deal_id = ? and stage_id = ?", l.dealId(), l.stage().id());
        update(c, "update deal_phase set lost = true where deal_id = ? and phase = ?", l.dealId(), l.stage().phase());
        update(c, "update deal set status = 'LOST', closed_at = ?, lost_reason = ? where deal_id = ?",
                ts(l.occurredAt()), l.reason(), l.dealId());
    }

    private void reopened(Connection c, DealReopened r) throws SQLException {
        enterStage(c, r.dealId(), r.pipelineId(), r.stage(), nextVisit(c, r.dealId()), r.occurredAt());
        // reopened into a later stage: the stages it was in before count as advanced, as after a forward move
        update(c, "update deal_stage set advanced = true where deal_id = ? and position < ?", r.dealId(), r.stage().position());
        update(c, "update deal_phase set advanced = true where deal_id = ? and ordinal < ?", r.dealId(), Phases.ordinal(r.stage().phase()));
        update(c, """
                update deal set status = 'OPEN', closed_at = null, lost_reason = null, won_cycle_seconds = null,
                    stage_id = ?, stage_position = ?, stage_probability = ?,
                    max_position = case when max_position < ? then ? else max_position end
                where deal_id = ?""", r.stage().id(), r.stage().position(), r.stage().probability(), r.stage().position(),
                r.stage().position(), r.dealId());
    }

    private void updated(Connection c, DealUpdated u, long seq) throws SQLException {
        if (u.changed().contains("amount")) {
            amount(c, u.dealId(), seq, u.occurredAt(), u.amount().value(), u.amount().currency(), "UPDATED");
        }
        if (u.changed().contains("expectedCloseDate")) {
            Date old = date(c, "select expected_close from deal where deal_id = ?", u.dealId());
            Date next = date(u.expectedCloseDate());
            update(c, "insert into close_date_change (deal_id, seq, pipeline_id, changed_at, old_date, new_date) values (?, ?, ?, ?, ?, ?)",
                    u.dealId(), seq, u.pipelineId(), ts(u.occurredAt()), old, next);
            if (old != null && next != null && next.after(old)) {
                update(c, "update deal set close_slips = close_slips + 1 where deal_id = ?", u.dealId());
            }
        }
        update(c, "update deal set amount = ?, currency = ?, owner_id = ?, source = ?, expected_close = ? where deal_id = ?",
                new BigDecimal(u.amount().value()), u.amount().currency(), u.ownerId(), u.source(),
                date(u.expectedCloseDate()), u.dealId());
    }

    private void amount(Connection c, String dealId, long seq, Instant at, String value, String currency, String kind) throws SQLException {
        update(c, "insert into deal_amount (deal_id, valid_from, seq, amount, currency, kind) values (?, ?, ?, ?, ?, ?)",
                dealId, ts(at), seq, new BigDecimal(value), currency, kind);
    }

    private void enterStage(Connection c, String dealId, String pipelineId, StageInfo stage, long visit, Instant at) throws SQLException {
        if (single(c, "select 1 from deal_stage where deal_id = ? and stage_id = ?", dealId, stage.id()) == null) {
            update(c, "insert into deal_stage (deal_id, pipeline_id, stage_id, position, advanced, lost) values (?, ?, ?, ?, false, false)",
                    dealId, pipelineId, stage.id(), stage.position());
        }
        if (single(c, "select 1 from deal_phase where deal_id = ? and phase = ?", dealId, stage.phase()) == null) {
            update(c, "insert into deal_phase (deal_id, pipeline_id, phase, ordinal, advanced, lost) values (?, ?, ?, ?, false, false)",
                    dealId, pipelineId, stage.phase(), Phases.ordinal(stage.phase()));
        }
        update(c, "insert into stage_visit (deal_id, seq, pipeline_id, stage_id, entered_at, position, phase, probability) values (?, ?, ?, ?, ?, ?, ?, ?)",
                dealId, visit, pipelineId, stage.id(), ts(at), stage.position(), stage.phase(), stage.probability());
    }

    private void leaveStage(Connection c, String dealId, Instant at, String endedBy) throws SQLException {
        try (PreparedStatement open = c.prepareStatement("select seq, entered_at from stage_visit where deal_id = ? and left_at is null")) {
            open.setString(1, dealId);
            try (ResultSet rs = open.executeQuery()) {
                while (rs.next()) {
                    long seconds = Math.max(0, at.getEpochSecond() - rs.getTimestamp(2).toInstant().getEpochSecond());
                    update(c, "update stage_visit set left_at = ?, duration_seconds = ?, ended_by = ? where deal_id = ? and seq = ?",
                            ts(at), seconds, endedBy, dealId, rs.getLong(1));
                }
            }
        }
    }

    private long nextVisit(Connection c, String dealId) throws SQLException {
        Long max = single(c, "select max(seq) from stage_visit where deal_id = ?", dealId);
        return max == null ? 0 : max + 1;
    }

    private Long lastSeq(Connection c, String dealId) throws SQLException {
        return single(c, "select last_seq from deal where deal_id = ?", dealId);
    }

    private void progress(Connection c, int partition, Tally t) throws SQLException {
        if (single(c, "select 1 from partition_progress where partition_id = ?", partition) == null) {
            update(c, "insert into partition_progress (partition_id, newest_event_at, applied_events, skipped_events, duplicate_events, dead_letters) values (?, null, 0, 0, 0, 0)",
                    partition);
        }
        update(c, """
                update partition_progress set applied_events = applied_events + ?, skipped_events = skipped_events + ?,
                    duplicate_events = duplicate_events + ?, dead_letters = dead_letters + ?, gap_events = gap_events + ?
                where partition_id = ?""",
                t.applied, t.unknown, t.duplicates, t.deadLetters, t.gaps, partition);
        if (t.newest != null) {
            update(c, "update partition_progress set newest_event_at = ? where partition_id = ? and (newest_event_at is null or newest_event_at < ?)",
                    ts(t.newest), partition, ts(t.newest));
        }
    }

    private static Date date(LocalDate date) {
        return date == null ? null : Date.valueOf(date);
    }

    private static Timestamp timestamp(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            bind(statement, args);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? rs.getTimestamp(1) : null;
            }
        }
    }

    private static Date date(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            bind(statement, args);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? rs.getDate(1) : null;
            }
        }
    }

    private static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            bind(statement, args);
            return statement.executeUpdate();
        }
    }

    private static Long single(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            bind(statement, args);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                long value = rs.getLong(1);
                return rs.wasNull() ? null : value;
            }
        }
    }

    private static void bind(PreparedStatement statement, Object[] args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            statement.setObject(i + 1, args[i]);
        }
    }
}
