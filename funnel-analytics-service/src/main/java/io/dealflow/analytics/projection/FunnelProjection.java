package io.dealflow.analytics.projection;

import io.dealflow.analytics.generation.ReadModelGenerations;
import io.dealflow.analytics.generation.SchemaSelection;
import io.dealflow.events.v1.DealCreated;
import io.dealflow.events.v1.DealEvent;
import io.dealflow.events.v1.DealLost;
import io.dealflow.events.v1.DealMovedToStage;
import io.dealflow.events.v1.DealReopened;
import io.dealflow.events.v1.DealUpdated;
import io.dealflow.events.v1.DealWon;
import io.dealflow.events.v1.PipelineDefined;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Applies public deal events to the funnel read model. A batch is applied in one transaction; an event
 * whose sequence number is not newer than the deal's last applied one changes nothing (idempotent).
 */
@Singleton
public class FunnelProjection {

    /**
     * A decoded record and where it came from; poison has already been parked on the dead-letter topic.
     * {@link #FROM_STORE}: fetched from pipeline-service's store, not read from a partition (its offset is unused).
     */
    public record Delivery(int partition, long offset, DecodedEvent event) {
    }

    public static final int FROM_STORE = -1;

    /** What applying one event did; PARKED: it waits for an earlier event of its deal. */
    enum Result { APPLIED, DUPLICATE, PARKED }

    /** What a batch did, summed over its partitions. */
    public record Summary(int applied, int duplicates, int unknown, int deadLetters, int gaps) {
    }

    private static final class PartitionCounts {
        int applied;
        int duplicates;
        int unknown;
        int deadLetters;
        int gaps;
        Instant newest;
        long nextOffset;
    }

    /** What the projection remembers of one generation of the read model (see {@link SchemaSelection}). */
    private record Remembered(TallyCells cells, PlannerStatistics statistics) {
    }

    private final DataSource dataSource;
    private final SchemaSelection schemas;
    private final Map<String, Remembered> remembered = new ConcurrentHashMap<>();
    private final ExecutorService statistics = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "planner-statistics");
        thread.setDaemon(true);
        return thread;
    });

    public FunnelProjection(DataSource dataSource, SchemaSelection schemas) {
        this.dataSource = dataSource;
        this.schemas = schemas;
    }

    private Remembered remembered() {
        return remembered.computeIfAbsent(Objects.requireNonNullElse(schemas.target(), ""),
                schema -> new Remembered(new TallyCells(), new PlannerStatistics(schema.isEmpty() ? null : schema)));
    }

    /** Forgets what it remembered of a generation that was dropped or replaced. */
    public void forget(String schema) {
        remembered.remove(Objects.requireNonNullElse(schema, ""));
    }

    /**
     * Applies a batch and the per-partition progress in one transaction: the touched deals are read with a few set
     * queries, the events applied to them in memory in topic order, and the changes and counter deltas written back
     * as JDBC batches.
     */
    public Summary apply(List<Delivery> deliveries) {
        Map<Integer, PartitionCounts> partitions = new TreeMap<>();
        Remembered memory = remembered();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Set<String> dealIds = new HashSet<>();
                for (Delivery delivery : deliveries) {
                    if (delivery.event() instanceof DecodedEvent.Known known && known.payload() instanceof DealEvent e) {
                        dealIds.add(e.dealId());
                    }
                }
                Map<String, DealState> deals = DealStateStore.load(c, dealIds);
                PendingEvents pending = PendingEvents.load(c, dealIds);

                Tallies counters = new Tallies();
                deals.values().forEach(d -> counters.add(d, -1));
                for (Delivery delivery : deliveries) {
                    PartitionCounts tally = partitions.computeIfAbsent(delivery.partition(), p -> new PartitionCounts());
                    tally.nextOffset = Math.max(tally.nextOffset, delivery.offset() + 1);
                    if (delivery.event() instanceof DecodedEvent.Known known) {
                        switch (apply(c, known, deals, pending)) {
                            case APPLIED -> tally.applied++;
                            case PARKED -> tally.gaps++;
                            default -> tally.duplicates++;
                        }
                        if (tally.newest == null || known.recordedAt().isAfter(tally.newest)) {
                            tally.newest = known.recordedAt();
                        }
                    } else if (delivery.event() instanceof DecodedEvent.Unknown) {
                        tally.unknown++;
                    } else {
                        tally.deadLetters++;
                    }
                }
                deals.values().forEach(d -> counters.add(d, 1));
                DealStateStore.save(c, deals.values());
                pending.save(c, Instant.now());
                TallyCells.Created created = counters.write(c, memory.cells());
                progress(c, partitions);
                c.commit();
                memory.cells().remember(created);
                Summary summary = new Summary(partitions.values().stream().mapToInt(t -> t.applied).sum(),
                        partitions.values().stream().mapToInt(t -> t.duplicates).sum(),
                        partitions.values().stream().mapToInt(t -> t.unknown).sum(),
                        partitions.values().stream().mapToInt(t -> t.deadLetters).sum(),
                        partitions.values().stream().mapToInt(t -> t.gaps).sum());
                if (memory.statistics().due(summary.applied())) {
                    statistics.execute(() -> memory.statistics().refresh(dataSource));
                }
                return summary;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not apply events", e);
        }
    }

    /**
     * Applies one event in its deal's order. An event whose sequence number the deal has applied already is a duplicate
     * and changes nothing; one that comes before the events preceding it (or before the deal's creation) waits in
     * pending_event and is applied as soon as they have been. Each applied event lets the events waiting for it follow.
     */
    private Result apply(Connection c, DecodedEvent.Known event, Map<String, DealState> deals, PendingEvents pending)
            throws SQLException {
        Object payload = event.payload();
        if (payload instanceof PipelineDefined p) {
            return pipelineDefined(c, p, event.sequence()) ? Result.APPLIED : Result.DUPLICATE;
        }
        DealEvent e = (DealEvent) payload;
        DealState deal = deals.get(e.dealId());
        if (deal.exists() && event.sequence() <= deal.lastSeq) {
            return Result.DUPLICATE;
        }
        boolean next = deal.exists() ? event.sequence() == deal.lastSeq + 1 : e instanceof DealCreated;
        if (!next) {
            if (!pending.park(event)) {
                return Result.DUPLICATE;
            }
            if (deal.exists()) {
                deal.gaps++;
                deal.dirty = true;
            }
            return Result.PARKED;
        }
        applyInOrder(e, event.sequence(), deal);
        for (DecodedEvent.Known waiting = pending.takeNext(e.dealId(), deal.lastSeq + 1); waiting != null;
             waiting = pending.takeNext(e.dealId(), deal.lastSeq + 1)) {
            applyInOrder((DealEvent) waiting.payload(), waiting.sequence(), deal);
        }
        pending.dropUpTo(e.dealId(), deal.lastSeq);
        return Result.APPLIED;
    }

    private static void applyInOrder(DealEvent e, long seq, DealState deal) {
        if (e instanceof DealCreated created) {
            deal.created(created, seq);
        } else if (e instanceof DealMovedToStage m) {
            deal.moved(m);
        } else if (e instanceof DealWon w) {
            deal.won(w);
        } else if (e instanceof DealLost l) {
            deal.lost(l);
        } else if (e instanceof DealReopened r) {
            deal.reopened(r);
        } else if (e instanceof DealUpdated u) {
            deal.updated(u, seq);
        }
        deal.lastSeq = seq;
        deal.dirty = true;
    }

    /** Whether the read model's database answers at all: tells a record that cannot be applied from an outage. */
    public boolean databaseAnswers() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    /** Empties the read model, for a rebuild from the start of the topic. */
    public void truncate() {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            for (String table : ReadModelGenerations.MODEL_TABLES) {
                update(c, "delete from " + table);
            }
            c.commit();
            remembered().cells().clear();
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

    /**
     * Each partition's counts, and the offset to read next: committed with what the batch applied, so a consumer that
     * starts from it after a crash re-reads exactly what the database lost (see {@link ConsumedOffsets}). One update per
     * partition, sent as one JDBC batch (one round trip on PostgreSQL); a partition without a row yet gets one.
     */
    private void progress(Connection c, Map<Integer, PartitionCounts> partitions) throws SQLException {
        List<Map.Entry<Integer, PartitionCounts>> read = partitions.entrySet().stream()
                .filter(entry -> entry.getKey() != FROM_STORE).toList();
        if (read.isEmpty()) {
            return;
        }
        int[] updated;
        try (PreparedStatement update = c.prepareStatement("""
                update partition_progress set applied_events = applied_events + ?, skipped_events = skipped_events + ?,
                    duplicate_events = duplicate_events + ?, dead_letters = dead_letters + ?, gap_events = gap_events + ?,
                    next_offset = greatest(coalesce(next_offset, 0), ?),
                    newest_event_at = case when newest_event_at is null or newest_event_at < ? then ? else newest_event_at end
                where partition_id = ?""")) {
            for (var entry : read) {
                PartitionCounts t = entry.getValue();
                bind(update, new Object[] {t.applied, t.unknown, t.duplicates, t.deadLetters, t.gaps, t.nextOffset});
                update.setTimestamp(7, ts(t.newest));
                update.setTimestamp(8, ts(t.newest));
                update.setInt(9, entry.getKey());
                update.addBatch();
            }
            updated = update.executeBatch();
        }
        for (int i = 0; i < updated.length; i++) {
            if (updated[i] == 0) {
                PartitionCounts t = read.get(i).getValue();
                update(c, """
                        insert into partition_progress (partition_id, newest_event_at, applied_events, skipped_events,
                            duplicate_events, dead_letters, gap_events, next_offset) values (?, ?, ?, ?, ?, ?, ?, ?)""",
                        read.get(i).getKey(), ts(t.newest), t.applied, t.unknown, t.duplicates, t.deadLetters, t.gaps, t.nextOffset);
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
