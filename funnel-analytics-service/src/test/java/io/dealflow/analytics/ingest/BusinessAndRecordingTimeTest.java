package io.dealflow.analytics.ingest;

import io.dealflow.analytics.projection.DecodedEvent;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.CloudEventSerializer;
import io.dealflow.events.v1.EventTypes;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** ce_time is when it happened; freshness counts from ce_recordedtime, when it was stored (they differ for imports). */
class BusinessAndRecordingTimeTest {

    private static final String ACTIVITY = """
            {"dealId": "d-1", "pipelineId": "default", "activityId": "a-1", "kind": "CALL", "note": null,
             "occurredAt": "2026-01-05T09:00:00Z", "actor": "importer"}""";

    private static DecodedEvent decode(String recordedTime) {
        CloudEventBuilder builder = CloudEventBuilder.v1().withId("e-1").withType(EventTypes.DEAL_ACTIVITY_LOGGED)
                .withSource(URI.create(EventTypes.SOURCE)).withSubject("d-1")
                .withTime(Instant.parse("2026-01-05T09:00:00Z").atOffset(ZoneOffset.UTC))
                .withExtension(EventTypes.SEQUENCE_EXTENSION, "3")
                .withDataContentType("application/json").withData(ACTIVITY.getBytes(StandardCharsets.UTF_8));
        if (recordedTime != null) {
            builder.withExtension(EventTypes.RECORDED_TIME_EXTENSION, recordedTime);
        }
        CloudEvent event = builder.build();
        RecordHeaders headers = new RecordHeaders();
        try (CloudEventSerializer serializer = new CloudEventSerializer()) {
            serializer.configure(Map.of(), false);
            byte[] value = serializer.serialize("t", headers, event);
            return new EventDecoder().decode(new ConsumerRecord<>("t", 0, 0, 0L, TimestampType.CREATE_TIME, 0, value.length,
                    "d-1", value, headers, Optional.empty()));
        }
    }

    @Test
    void anImportedEventIsFreshWhenItWasStoredNotWhenItHappened() {
        DecodedEvent.Known known = assertInstanceOf(DecodedEvent.Known.class, decode("2026-12-03T10:00:00.123Z"));
        assertEquals(Instant.parse("2026-12-03T10:00:00.123Z"), known.recordedAt());
        assertEquals(3, known.sequence());
    }

    @Test
    void withoutARecordingTimeTheEventTimeStandsIn() {
        assertEquals(Instant.parse("2026-01-05T09:00:00Z"), assertInstanceOf(DecodedEvent.Known.class, decode(null)).recordedAt());
        assertEquals(Instant.parse("2026-01-05T09:00:00Z"), assertInstanceOf(DecodedEvent.Known.class, decode("yesterday")).recordedAt(),
                "an unreadable recording time is ignored, not a poison record");
    }
}
