package io.dealflow.analytics.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.CloudEventSerializer;
import io.dealflow.events.v1.EventTypes;
import io.dealflow.kafka.LocalKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Writes events to the topic exactly as pipeline-service does: CloudEvents in Kafka binary mode. */
public final class EventWriter implements AutoCloseable {

    private final KafkaProducer<String, CloudEvent> producer;
    private final KafkaProducer<String, byte[]> raw;
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    public EventWriter() {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalKafka.shared().bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(config, new StringSerializer(), new CloudEventSerializer());
        raw = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    public void send(String type, String subject, long sequence, Instant time, Object payload) {
        send(UUID.randomUUID().toString(), type, subject, sequence, time, payload);
    }

    public void send(String id, String type, String subject, long sequence, Instant time, Object payload) {
        send(event(id, type, subject, sequence, time, payload), subject);
    }

    /** An event with the trace context of the request that caused it (the {@code ce_traceparent} extension). */
    public void sendTraced(String traceparent, String type, String subject, long sequence, Instant time, Object payload) {
        send(CloudEventBuilder.v1(event(UUID.randomUUID().toString(), type, subject, sequence, time, payload))
                .withExtension(EventTypes.TRACEPARENT_EXTENSION, traceparent).build(), subject);
    }

    private void send(CloudEvent event, String subject) {
        try {
            producer.send(new ProducerRecord<>(EventTypes.TOPIC, subject, event)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The record a consumer of the topic would receive for this event (partition 0), without the broker. */
    public static ConsumerRecord<String, byte[]> record(String type, String subject, long sequence, Instant time, Object payload) {
        RecordHeaders headers = new RecordHeaders();
        try (CloudEventSerializer serializer = new CloudEventSerializer()) {
            byte[] value = serializer.serialize(EventTypes.TOPIC, headers,
                    event(UUID.randomUUID().toString(), type, subject, sequence, time, payload));
            return new ConsumerRecord<>(EventTypes.TOPIC, 0, 0, time.toEpochMilli(), TimestampType.CREATE_TIME, subject.length(),
                    value.length, subject, value, headers, Optional.empty());
        }
    }

    private static CloudEvent event(String id, String type, String subject, long sequence, Instant time, Object payload) {
        try {
            return CloudEventBuilder.v1().withId(id).withType(type)
                    .withSource(URI.create(EventTypes.SOURCE)).withSubject(subject)
                    .withTime(time.atOffset(ZoneOffset.UTC))
                    .withExtension(EventTypes.SEQUENCE_EXTENSION, String.valueOf(sequence))
                    .withDataContentType("application/json").withData(JSON.writeValueAsBytes(payload)).build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A record with arbitrary headers and bytes, for poison-message tests. */
    public void sendRaw(String key, byte[] value, RecordHeaders headers) {
        try {
            raw.send(new ProducerRecord<>(EventTypes.TOPIC, null, key, value, headers)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        producer.close();
        raw.close();
    }
}
