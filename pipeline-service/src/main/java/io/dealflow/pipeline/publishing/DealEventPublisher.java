package io.dealflow.pipeline.publishing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.dealflow.events.v1.EventTypes;
import io.dealflow.pipeline.config.Actor;
import io.dealflow.pipeline.tracing.RequestTrace;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.net.URI;
import java.time.ZoneOffset;

/**
 * The outbox relay: a streaming processor reads the event store from its persisted token and puts every public event on
 * Kafka as a CloudEvent (binary mode), keyed by deal id. The token commits only after Kafka took the batch — with
 * transactions on, in one transaction with the segment's new position ({@link SegmentProducers}). Any failure rolls
 * the batch back and it is retried, so no event is skipped; with transactions on, a read-committed consumer also sees
 * none twice.
 */
@Component
@ProcessingGroup(DealEventPublisher.GROUP)
public class DealEventPublisher {

    public static final String GROUP = "kafka-publisher";
    private static final String SEGMENT = "Processor[" + GROUP + "]/SegmentId";
    private static final String BATCH = DealEventPublisher.class.getName() + ".batch";
    private static final URI SOURCE = URI.create(EventTypes.SOURCE);

    private final SegmentProducers producers;
    private final RecentlyAppended recentlyAppended;
    private final String topic;
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    public DealEventPublisher(SegmentProducers producers, RecentlyAppended recentlyAppended, @Value("${dealflow.topic}") String topic) {
        this.producers = producers;
        this.recentlyAppended = recentlyAppended;
        this.topic = topic;
    }

    /** Takes the message alone: its payload and metadata are deserialised only if the event is not in {@link RecentlyAppended}. */
    @EventHandler
    void on(DomainEventMessage<?> message) {
        Batch batch = batch();
        // the message's own token: during a republish it is a replay token (a TrackingToken parameter gets it unwrapped)
        TrackingToken token = message instanceof TrackedEventMessage<?> tracked ? tracked.trackingToken() : null;
        batch.last = token;
        RecentlyAppended.Appended appended = recentlyAppended.take(message.getIdentifier());
        Object event = appended != null ? appended.payload() : message.getPayload();
        MetaData metaData = appended != null ? appended.metaData() : message.getMetaData();
        PublicEvents.Mapped mapped = PublicEvents.map(event, Actor.from(metaData));
        if (mapped == null || batch.producer.alreadyPublished(token)) {
            return;
        }
        CloudEventBuilder builder = CloudEventBuilder.v1();
        String traceparent = RequestTrace.from(metaData);
        if (traceparent != null) {
            builder.withExtension(EventTypes.TRACEPARENT_EXTENSION, traceparent);
        }
        CloudEvent cloudEvent = builder
                .withId(message.getIdentifier())
                .withType(mapped.type())
                .withSource(SOURCE)
                .withSubject(mapped.subject())
                .withTime(mapped.occurredAt().atOffset(ZoneOffset.UTC))
                .withExtension(EventTypes.SEQUENCE_EXTENSION, String.valueOf(message.getSequenceNumber()))
                .withExtension(EventTypes.RECORDED_TIME_EXTENSION, message.getTimestamp().toString())
                .withDataContentType("application/json")
                .withData(serialize(mapped.payload()))
                .build();
        batch.producer.send(topic, mapped.subject(), cloudEvent);
    }

    /** The unit of work's batch: its segment's Kafka transaction, begun with the first event, committed before the token. */
    private Batch batch() {
        if (!CurrentUnitOfWork.isStarted()) {
            throw new IllegalStateException("Publishing needs a unit of work");
        }
        UnitOfWork<?> root = CurrentUnitOfWork.get().root();
        return root.getOrComputeResource(BATCH, key -> {
            Object segment = root.resources().get(SEGMENT);
            if (!(segment instanceof Integer id)) {
                throw new IllegalStateException("Publishing runs in the " + GROUP + " processor's segments");
            }
            Batch batch = new Batch(producers.forSegment(id));
            batch.producer.begin();
            root.onPrepareCommit(uow -> batch.producer.commit(batch.last));
            root.onRollback(uow -> batch.producer.abort(uow.getExecutionResult() != null && uow.getExecutionResult().isExceptionResult()
                    ? uow.getExecutionResult().getExceptionResult() : null));
            return batch;
        });
    }

    private static final class Batch {
        private final SegmentProducers.SegmentProducer producer;
        private TrackingToken last;

        private Batch(SegmentProducers.SegmentProducer producer) {
            this.producer = producer;
        }
    }

    private byte[] serialize(Object payload) {
        try {
            return json.writeValueAsBytes(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialize " + payload.getClass(), e);
        }
    }

    static class KafkaPublishException extends RuntimeException {
        KafkaPublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
