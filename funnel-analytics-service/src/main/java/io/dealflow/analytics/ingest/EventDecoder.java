package io.dealflow.analytics.ingest;

import io.dealflow.analytics.projection.DecodedEvent;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.dealflow.events.v1.EventTypes;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Reads a Kafka record as a CloudEvent (binary mode) and checks its data against the type's JSON Schema. */
@Singleton
public class EventDecoder {

    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final JsonSchemaFactory schemaFactory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();

    public DecodedEvent decode(ConsumerRecord<String, byte[]> record) {
        CloudEvent event;
        try {
            event = KafkaMessageFactory.createReader(record.headers(), record.value()).toEvent();
        } catch (RuntimeException e) {
            return new DecodedEvent.Poison("not a CloudEvent in binary mode: " + e.getMessage());
        }
        Class<?> recordType = EventTypes.recordFor(event.getType());
        if (recordType == null) {
            return new DecodedEvent.Unknown(event.getType());
        }
        if (event.getSubject() == null || event.getTime() == null) {
            return new DecodedEvent.Poison("missing ce_subject or ce_time");
        }
        Object sequence = event.getExtension(EventTypes.SEQUENCE_EXTENSION);
        long seq;
        try {
            seq = Long.parseLong(String.valueOf(sequence));
        } catch (NumberFormatException e) {
            return new DecodedEvent.Poison("missing or non-numeric ce_" + EventTypes.SEQUENCE_EXTENSION);
        }
        if (event.getData() == null) {
            return new DecodedEvent.Poison("no data");
        }
        try {
            JsonNode data = json.readTree(event.getData().toBytes());
            Set<ValidationMessage> errors = schema(event.getType()).validate(data);
            if (!errors.isEmpty()) {
                return new DecodedEvent.Poison("violates " + event.getType() + " schema: " + errors);
            }
            return new DecodedEvent.Known(event.getType(), event.getSubject(), seq, recordedAt(event),
                    json.treeToValue(data, recordType));
        } catch (IOException | RuntimeException e) {
            return new DecodedEvent.Poison("unreadable JSON: " + e.getMessage());
        }
    }

    /** The recording time; publishers before it was carried set ce_time to it. */
    private static Instant recordedAt(CloudEvent event) {
        Object recorded = event.getExtension(EventTypes.RECORDED_TIME_EXTENSION);
        if (recorded != null) {
            try {
                return Instant.parse(recorded.toString());
            } catch (DateTimeParseException e) {
                // fall through: the business time is the best remaining guess
            }
        }
        return event.getTime().toInstant();
    }

    private JsonSchema schema(String type) {
        return schemas.computeIfAbsent(type, t -> {
            try (InputStream in = EventTypes.class.getClassLoader().getResourceAsStream(EventTypes.schemaResource(t))) {
                return schemaFactory.getSchema(in);
            } catch (IOException e) {
                throw new IllegalStateException("missing schema for " + t, e);
            }
        });
    }
}
