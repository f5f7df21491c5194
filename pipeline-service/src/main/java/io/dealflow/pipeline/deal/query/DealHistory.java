package io.dealflow.pipeline.deal.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.dealflow.pipeline.config.Actor;
import io.dealflow.pipeline.deal.ActivityLogged;
import io.dealflow.pipeline.deal.DealCreated;
import io.dealflow.pipeline.deal.DealLost;
import io.dealflow.pipeline.deal.DealMovedToStage;
import io.dealflow.pipeline.deal.DealReopened;
import io.dealflow.pipeline.deal.DealUpdated;
import io.dealflow.pipeline.deal.DealWon;
import io.dealflow.pipeline.deal.FieldChange;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every event of a deal, oldest first, read straight from the event store (never from a snapshot). */
@Component
public class DealHistory {

    /** One entry: what happened, when, who did it, and what changed. */
    /** {@code time} is when it happened (business time); {@code recordedAt} when the store appended it. */
    public record Entry(long version, String type, Instant time, Instant recordedAt, String actor, Map<String, Object> changes) {
    }

    /** A changed value; a null {@code to} means the field was cleared, so nulls are always written. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Change(String from, String to) {
    }

    private final EventStore eventStore;

    DealHistory(EventStore eventStore) {
        this.eventStore = eventStore;
    }

    public List<Entry> of(String dealId) {
        List<Entry> entries = new ArrayList<>();
        DomainEventStream stream = eventStore.readEvents(dealId, 0);
        while (stream.hasNext()) {
            DomainEventMessage<?> message = stream.next();
            entries.add(new Entry(message.getSequenceNumber(), type(message.getPayload()), occurredAt(message),
                    message.getTimestamp(), Actor.from(message.getMetaData()), changes(message.getPayload())));
        }
        return entries;
    }

    private static Instant occurredAt(DomainEventMessage<?> message) {
        Object e = message.getPayload();
        if (e instanceof DealCreated c) {
            return c.occurredAt();
        } else if (e instanceof DealMovedToStage m) {
            return m.occurredAt();
        } else if (e instanceof DealWon w) {
            return w.occurredAt();
        } else if (e instanceof DealLost l) {
            return l.occurredAt();
        } else if (e instanceof DealUpdated u) {
            return u.occurredAt();
        } else if (e instanceof DealReopened r) {
            return r.occurredAt();
        } else if (e instanceof ActivityLogged a) {
            return a.occurredAt();
        }
        return message.getTimestamp();
    }

    private static String type(Object event) {
        return switch (event.getClass().getSimpleName()) {
            case "DealCreated" -> "CREATED";
            case "DealMovedToStage" -> "MOVED";
            case "DealWon" -> "WON";
            case "DealLost" -> "LOST";
            case "DealUpdated" -> "UPDATED";
            case "DealReopened" -> "REOPENED";
            case "ActivityLogged" -> "ACTIVITY_LOGGED";
            default -> event.getClass().getSimpleName();
        };
    }

    private static Map<String, Object> changes(Object event) {
        Map<String, Object> changes = new LinkedHashMap<>();
        if (event instanceof DealCreated e) {
            changes.put("title", e.title());
            changes.put("amount", DealViews.money(e.amount().value(), e.amount().currency()));
            put(changes, "ownerId", e.ownerId());
            put(changes, "source", e.source());
            put(changes, "expectedCloseDate", e.expectedCloseDate());
            put(changes, "company", e.company());
            put(changes, "contact", e.contact());
            changes.put("stageId", e.stage().id());
        } else if (event instanceof DealMovedToStage e) {
            changes.put("stageId", new Change(e.from().id(), e.to().id()));
        } else if (event instanceof DealWon e) {
            changes.put("status", new Change("OPEN", "WON"));
            changes.put("stageId", e.stage().id());
        } else if (event instanceof DealLost e) {
            changes.put("status", new Change("OPEN", "LOST"));
            changes.put("reason", e.reason());
            put(changes, "note", e.note());
        } else if (event instanceof DealUpdated e) {
            for (FieldChange change : e.changes()) {
                changes.put(change.field(), new Change(change.from(), change.to()));
            }
        } else if (event instanceof DealReopened e) {
            changes.put("status", new Change(e.previousStatus().name(), "OPEN"));
            changes.put("stageId", e.stage().id());
        } else if (event instanceof ActivityLogged e) {
            changes.put("activityId", e.activityId());
            changes.put("kind", e.kind().name());
            put(changes, "note", e.note());
        }
        return changes;
    }

    private static void put(Map<String, Object> changes, String key, Object value) {
        if (value != null) {
            changes.put(key, value.toString());
        }
    }
}
