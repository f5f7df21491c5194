package io.dealflow.pipeline.admin;

import io.swagger.v3.oas.annotations.Operation;

import io.dealflow.pipeline.access.RequiresScope;
import io.dealflow.pipeline.config.Actor;
import io.dealflow.pipeline.publishing.PublicEvents;
import io.dealflow.pipeline.web.Problem;
import io.dealflow.pipeline.web.ProblemException;
import io.dealflow.trust.Scope;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A deal's public events straight from the store, as they go on the topic: the source of truth a consumer asks when
 * an event of a deal never reached it. Behind the admin scope.
 */
@RestController
class DealEventsController {

    record StoredEvent(String type, long sequence, String id, Instant recordedAt, Object data) {
    }

    record DealEvents(String dealId, List<StoredEvent> events) {
    }

    private final EventStore store;

    DealEventsController(EventStore store) {
        this.store = store;
    }

    @RequiresScope(Scope.ADMIN)
    @Operation(summary = "A deal's public events from the store, from a sequence number on")
    @GetMapping("/api/v1/admin/deals/{dealId}/events")
    DealEvents events(@PathVariable String dealId, @RequestParam(defaultValue = "0") long fromSequence) {
        if (fromSequence < 0) {
            throw new ProblemException(Problem.VALIDATION, "fromSequence must be 0 or more");
        }
        List<StoredEvent> events = new ArrayList<>();
        DomainEventStream stream = store.readEvents(dealId, fromSequence);
        while (stream.hasNext()) {
            DomainEventMessage<?> message = stream.next();
            PublicEvents.Mapped mapped = PublicEvents.map(message.getPayload(), Actor.from(message.getMetaData()));
            if (mapped != null) {
                events.add(new StoredEvent(mapped.type(), message.getSequenceNumber(), message.getIdentifier(),
                        message.getTimestamp(), mapped.payload()));
            }
        }
        if (events.isEmpty() && fromSequence == 0) {
            throw new ProblemException(Problem.DEAL_NOT_FOUND, "No deal with id " + dealId);
        }
        return new DealEvents(dealId, events);
    }
}
