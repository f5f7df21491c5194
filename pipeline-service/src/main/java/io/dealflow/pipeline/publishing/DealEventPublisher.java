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
import org.apache.kafka.clients.producer.ProducerRecord;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import java.net.URI;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The outbox relay: a streaming processor reads the event store from its persisted token and puts every
 * public event on Kafka as a CloudEvent (binary mode), keyed by deal id. Sends of a batch run in parallel;
 * the batch (and so the token) commits only after Kafka acknowledged every one of them. Any failure rolls
 * the batch back and it is retried, so an event can be published twice but never skipped.
 */
@Component
@ProcessingGroup(DealEventPublisher.GROUP)
public class DealEventPublisher {

    public static final String GROUP = "kafka-publisher";
    private static final String PENDING = DealEventPublisher.class.getName() + ".pending";
    private static final URI SOURCE = URI.create(EventTypes.SOURCE);

    private final KafkaTemplate<String, CloudEvent> kafka;
    private final String topic;
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    public DealEventPublisher(KafkaTemplate<String, CloudEvent> kafka, @Value("${dealflow.topic}") String topic) {
        this.kafka = kafka;
        this.topic = topic;
    }

    @EventHandler
    void on(Object event, DomainEventMessage<?> message) {
        PublicEvents.Mapped mapped = PublicEvents.map(event, Actor.from(message.getMetaData()));
        if (mapped == null) {
            return;
        }
        CloudEventBuilder builder = CloudEventBuilder.v1();
        String traceparent = RequestTrace.from(message.getMetaData());
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
        pendingSends().add(kafka.send(new ProducerRecord<>(topic, mapped.subject(), cloudEvent)));
    }

    private List<CompletableFuture<?>> pendingSends() {
        if (!CurrentUnitOfWork.isStarted()) {
            throw new IllegalStateException("Publishing needs a unit of work");
        }
        UnitOfWork<?> root = CurrentUnitOfWork.get().root();
        return root.getOrComputeResource(PENDING, key -> {
            List<CompletableFuture<?>> sends = new ArrayList<>();
            root.onPrepareCommit(uow -> {
                // the batch is complete: send what the producer holds back for linger.ms now, not after it
                kafka.flush();
                awaitAll(sends);
            });
            return sends;
        });
    }

    private static void awaitAll(List<CompletableFuture<?>> sends) {
        try {
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaPublishException("Interrupted while waiting for Kafka", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaPublishException("Kafka did not acknowledge the batch; it will be retried", e);
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
