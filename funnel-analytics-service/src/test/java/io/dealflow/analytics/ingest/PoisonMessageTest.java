package io.dealflow.analytics.ingest;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.dealflow.analytics.support.AnalyticsTest;
import io.dealflow.analytics.support.EventWriter;
import io.dealflow.events.v1.DealCreated;
import io.dealflow.events.v1.EventTypes;
import io.dealflow.events.v1.Money;
import io.dealflow.events.v1.PipelineDefined;
import io.dealflow.events.v1.StageInfo;
import io.dealflow.kafka.LocalKafka;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Unreadable records, and records that fail while applied, go to the dead-letter topic with the reason; unknown newer
 * types are skipped; consumption goes on with the rest of the batch.
 */
@MicronautTest
class PoisonMessageTest extends AnalyticsTest {

    @Test
    void poisonIsParkedUnknownTypesSkippedAndGoodEventsStillApplied() throws Exception {
        String pipeline = "poison-" + UUID.randomUUID();
        Instant now = Instant.parse("2026-11-01T10:00:00Z");
        String bad1 = "bad-json-" + UUID.randomUUID();
        String bad2 = "no-headers-" + UUID.randomUUID();
        String bad3 = "schema-" + UUID.randomUUID();
        String bad4 = "too-long-" + UUID.randomUUID();
        String bad5 = "overflow-" + UUID.randomUUID();
        String good = UUID.randomUUID().toString();
        StageInfo lead = new StageInfo("lead", "Lead", 0, 10, "AWARENESS");
        String traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        Logger ingestion = (Logger) LoggerFactory.getLogger(Ingestion.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        ingestion.addAppender(logged);
        try (EventWriter writer = new EventWriter()) {
            writer.send(EventTypes.PIPELINE_DEFINED, pipeline, 0, now, new PipelineDefined(pipeline, "Poison", List.of(
                    new PipelineDefined.PipelineStage("lead", "Lead", 0, 10, "AWARENESS", null)), List.of(), now, "system"));
            RecordHeaders ce = new RecordHeaders();
            ce.add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
            ce.add("ce_id", "x1".getBytes(StandardCharsets.UTF_8));
            ce.add("ce_type", EventTypes.DEAL_CREATED.getBytes(StandardCharsets.UTF_8));
            ce.add("ce_source", "/test".getBytes(StandardCharsets.UTF_8));
            ce.add("ce_subject", bad1.getBytes(StandardCharsets.UTF_8));
            ce.add("ce_time", "2026-11-01T10:00:00Z".getBytes(StandardCharsets.UTF_8));
            ce.add("ce_sequence", "0".getBytes(StandardCharsets.UTF_8));
            ce.add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
            ce.add("ce_traceparent", traceparent.getBytes(StandardCharsets.UTF_8));
            writer.sendRaw(bad1, "{not json".getBytes(StandardCharsets.UTF_8), ce);
            writer.sendRaw(bad2, "{}".getBytes(StandardCharsets.UTF_8), new RecordHeaders());
            // well-formed CloudEvent, but the data breaks the schema: a negative amount and no stage
            writer.send(EventTypes.DEAL_CREATED, bad3, 0, now, Map.of("dealId", bad3, "pipelineId", pipeline, "title", "t",
                    "amount", Map.of("value", "-1", "currency", "EUR"), "occurredAt", now.toString(), "actor", "u"));
            // valid but for an owner longer than the contract allows (and the read model stores): parked, not retried forever
            writer.send(EventTypes.DEAL_CREATED, bad4, 0, now, new DealCreated(bad4, pipeline, "Long owner", new Money("5.00", "EUR"),
                    "o".repeat(201), null, null, null, null, lead, now, "u"));
            // valid for the contract, but an amount beyond what the read model's numeric column holds: fails while applied
            writer.send(EventTypes.DEAL_CREATED, bad5, 0, now, new DealCreated(bad5, pipeline, "Huge", new Money("100000000000000000000.00", "EUR"),
                    null, null, null, null, null, lead, now, "u"));
            writer.send(EventTypes.DEAL_CREATED.replace(".v1", ".v7"), UUID.randomUUID().toString(), 0, now, Map.of("future", true));
            writer.send(EventTypes.DEAL_CREATED, good, 0, now, new DealCreated(good, pipeline, "Good", new Money("5.00", "EUR"),
                    null, null, null, null, null, lead, now, "u"));
        }

        await("/api/v1/funnel?pipelineId=" + pipeline, r -> r.status() == 200 && r.body().get("totals").get("deals").asLong() == 1);

        Map<String, String> reasons = deadLetters(Set.of(bad1, bad2, bad3, bad4, bad5));
        assertEquals(Set.of(bad1, bad2, bad3, bad4, bad5), reasons.keySet(), "all five poison records parked");
        assertTrue(reasons.get(bad5).contains("could not be applied"), reasons.get(bad5));
        assertTrue(reasons.get(bad1).contains("unreadable JSON"), reasons.get(bad1));
        assertTrue(reasons.get(bad2).contains("not a CloudEvent"), reasons.get(bad2));
        assertTrue(reasons.get(bad3).contains("schema"), reasons.get(bad3));
        assertTrue(reasons.get(bad4).contains("schema") && reasons.get(bad4).contains("ownerId"), reasons.get(bad4));

        // the warning about a record names the trace of the request that caused its event, when the event carries one
        ingestion.detachAppender(logged);
        List<ILoggingEvent> warnings = List.copyOf(logged.list);
        ILoggingEvent aboutBad1 = warnings.stream().filter(e -> e.getFormattedMessage().contains("unreadable JSON")).findFirst().orElseThrow();
        assertEquals(traceparent, aboutBad1.getMDCPropertyMap().get("traceparent"));
        ILoggingEvent aboutBad2 = warnings.stream().filter(e -> e.getFormattedMessage().contains("not a CloudEvent")).findFirst().orElseThrow();
        assertEquals(null, aboutBad2.getMDCPropertyMap().get("traceparent"), "a record without trace context logs none");
    }

    private static Map<String, String> deadLetters(Set<String> keys) {
        try (var consumer = new KafkaConsumer<String, byte[]>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalKafka.shared().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "dlt-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(EventTypes.DEAD_LETTER_TOPIC));
            List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline && !seen.stream().map(ConsumerRecord::key).collect(Collectors.toSet()).containsAll(keys)) {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
            }
            return seen.stream().filter(r -> keys.contains(r.key())).collect(Collectors.toMap(ConsumerRecord::key,
                    r -> new String(r.headers().lastHeader(DeadLetters.REASON_HEADER).value(), StandardCharsets.UTF_8), (x, y) -> x));
        }
    }
}
