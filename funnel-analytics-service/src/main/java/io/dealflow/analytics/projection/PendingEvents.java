package io.dealflow.analytics.projection;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.dealflow.events.v1.DealEvent;
import io.dealflow.events.v1.EventTypes;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The pending_event table: events of a deal that came after a gap in its sequence (a later event before an earlier
 * one, or any event before the deal's creation). A batch loads those of its deals, takes out what has become next in
 * line, and writes back what still waits.
 */
final class PendingEvents {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Per deal, its waiting events by sequence. */
    private final Map<String, TreeMap<Long, DecodedEvent.Known>> waiting = new HashMap<>();
    private final List<DecodedEvent.Known> parked = new ArrayList<>();
    private final List<DecodedEvent.Known> taken = new ArrayList<>();

    private PendingEvents() {
    }

    static PendingEvents load(Connection c, Set<String> dealIds) throws SQLException {
        PendingEvents pending = new PendingEvents();
        if (dealIds.isEmpty() || !any(c)) {
            return pending;
        }
        try (PreparedStatement s = c.prepareStatement("select deal_id, seq, type, payload, recorded_at from pending_event where deal_id = any (?)")) {
            s.setArray(1, c.createArrayOf("varchar", dealIds.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String type = rs.getString(3);
                    Object payload = JSON.readValue(rs.getString(4), EventTypes.recordFor(type));
                    DecodedEvent.Known event = new DecodedEvent.Known(type, rs.getString(1), rs.getLong(2),
                            rs.getTimestamp(5).toInstant(), payload);
                    pending.waiting.computeIfAbsent(rs.getString(1), d -> new TreeMap<>()).put(event.sequence(), event);
                }
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable pending event", e);
        }
        return pending;
    }

    private static boolean any(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select 1 from pending_event fetch first 1 rows only");
             ResultSet rs = s.executeQuery()) {
            return rs.next();
        }
    }

    /** Keeps the event until its turn; false when it waits already (delivered twice). */
    boolean park(DecodedEvent.Known event) {
        if (waiting.computeIfAbsent(dealId(event), d -> new TreeMap<>()).putIfAbsent(event.sequence(), event) != null) {
            return false;
        }
        parked.add(event);
        return true;
    }

    /** The waiting event with exactly this sequence, removed from the waiting ones; null if there is none. */
    DecodedEvent.Known takeNext(String dealId, long seq) {
        TreeMap<Long, DecodedEvent.Known> events = waiting.get(dealId);
        DecodedEvent.Known next = events == null ? null : events.remove(seq);
        if (next != null && !parked.remove(next)) {
            taken.add(next);
        }
        return next;
    }

    /** Drops waiting events the deal has got past (a copy arrived in order meanwhile). */
    void dropUpTo(String dealId, long seq) {
        TreeMap<Long, DecodedEvent.Known> events = waiting.get(dealId);
        if (events != null) {
            for (DecodedEvent.Known old : new ArrayList<>(events.headMap(seq, true).values())) {
                events.remove(old.sequence());
                if (!parked.remove(old)) {
                    taken.add(old);
                }
            }
        }
    }

    private static String dealId(DecodedEvent.Known event) {
        return event.payload() instanceof DealEvent deal ? deal.dealId() : event.subject();
    }

    /** Writes what was parked and removes what was applied, in the batch's transaction. */
    void save(Connection c, Instant now) throws SQLException {
        if (!taken.isEmpty()) {
            try (PreparedStatement s = c.prepareStatement("delete from pending_event where deal_id = ? and seq = ?")) {
                for (DecodedEvent.Known event : taken) {
                    s.setString(1, dealId(event));
                    s.setLong(2, event.sequence());
                    s.addBatch();
                }
                s.executeBatch();
            }
        }
        if (!parked.isEmpty()) {
            try (PreparedStatement s = c.prepareStatement(
                    "insert into pending_event (deal_id, seq, type, payload, recorded_at, parked_at) values (?, ?, ?, ?, ?, ?)")) {
                for (DecodedEvent.Known event : parked) {
                    s.setString(1, dealId(event));
                    s.setLong(2, event.sequence());
                    s.setString(3, event.type());
                    s.setString(4, JSON.writeValueAsString(event.payload()));
                    s.setTimestamp(5, Timestamp.from(event.recordedAt()));
                    s.setTimestamp(6, Timestamp.from(now));
                    s.addBatch();
                }
                s.executeBatch();
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot keep a pending event", e);
            }
        }
    }
}
