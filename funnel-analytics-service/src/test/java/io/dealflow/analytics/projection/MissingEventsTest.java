package io.dealflow.analytics.projection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.dealflow.analytics.support.AnalyticsTest;
import io.dealflow.analytics.support.PipelineServiceStandIn;
import io.dealflow.analytics.support.EventWriter;
import io.dealflow.events.v1.DealCreated;
import io.dealflow.events.v1.DealMovedToStage;
import io.dealflow.events.v1.EventTypes;
import io.dealflow.events.v1.Money;
import io.dealflow.events.v1.PipelineDefined;
import io.dealflow.events.v1.StageInfo;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An event that never reaches the topic: the events after it wait, then the deal's events are fetched from
 * pipeline-service's store and applied in order. pipeline-service is stood in for by an HTTP server that answers its
 * store endpoint ({@code GET /api/v1/admin/deals/{id}/events}) with the deal's whole history.
 */
@MicronautTest
class MissingEventsTest extends AnalyticsTest {

    private static final Instant T0 = Instant.parse("2026-10-01T08:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    /** What the store holds, per deal: the events as the store endpoint returns them. */
    private static final Map<String, List<Map<String, Object>>> STORE = new ConcurrentHashMap<>();
    private static final AtomicInteger ASKED = new AtomicInteger();
    private static final PipelineServiceStandIn PIPELINE_SERVICE = storeEndpoint();

    private final String pipeline = "missing-" + UUID.randomUUID();
    private final StageInfo lead = new StageInfo("lead", "Lead", 0, 10, "AWARENESS");
    private final StageInfo qualified = new StageInfo("qualified", "Qualified", 1, 20, "INTEREST");
    private final StageInfo demo = new StageInfo("demo", "Demo", 2, 40, "CONSIDERATION");
    private final String deal = UUID.randomUUID().toString();
    private EventWriter writer;

    private static PipelineServiceStandIn storeEndpoint() {
        return new PipelineServiceStandIn(Map.of("/api/v1/admin/deals/", exchange -> {
            ASKED.incrementAndGet();
            String dealId = exchange.getRequestURI().getPath().split("/")[5];
            long from = Long.parseLong(exchange.getRequestURI().getQuery().replace("fromSequence=", ""));
            List<Map<String, Object>> events = STORE.get(dealId);
            return events == null ? new PipelineServiceStandIn.Answer(404, "{}") : new PipelineServiceStandIn.Answer(200, JSON.writeValueAsString(
                    Map.of("dealId", dealId, "events", events.stream().filter(e -> ((Number) e.get("sequence")).longValue() >= from).toList())));
        }));
    }

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = super.getProperties();
        properties.put("dealflow.pipeline-service-url", PIPELINE_SERVICE.url());
        properties.put("dealflow.missing-events.wait", "1s");
        properties.put("dealflow.missing-events.check-every", "1s");
        return properties;
    }

    @BeforeAll
    void send() {
        writer = new EventWriter();
        writer.send(EventTypes.PIPELINE_DEFINED, pipeline, 0, T0, new PipelineDefined(pipeline, "Missing", List.of(
                new PipelineDefined.PipelineStage("lead", "Lead", 0, 10, "AWARENESS", null),
                new PipelineDefined.PipelineStage("qualified", "Qualified", 1, 20, "INTEREST", null),
                new PipelineDefined.PipelineStage("demo", "Demo", 2, 40, "CONSIDERATION", null)), List.of(), T0, "system"));
        DealCreated created = new DealCreated(deal, pipeline, "Deal", new Money("100.00", "EUR"), "o", "web", null, null, null,
                lead, T0, "u");
        DealMovedToStage lost = new DealMovedToStage(deal, pipeline, lead, qualified, T0.plus(Duration.ofHours(2)), "u");
        DealMovedToStage later = new DealMovedToStage(deal, pipeline, qualified, demo, T0.plus(Duration.ofHours(7)), "u");
        STORE.put(deal, List.of(stored(EventTypes.DEAL_CREATED, 0, created), stored(EventTypes.DEAL_MOVED_TO_STAGE, 1, lost),
                stored(EventTypes.DEAL_MOVED_TO_STAGE, 2, later)));
        writer.send(EventTypes.DEAL_CREATED, deal, 0, T0, created);
        // seq 1 never reaches the topic
        writer.send(EventTypes.DEAL_MOVED_TO_STAGE, deal, 2, later.occurredAt(), later);
    }

    private static Map<String, Object> stored(String type, long sequence, Object data) {
        return Map.of("type", type, "sequence", sequence, "id", UUID.randomUUID().toString(),
                "recordedAt", Instant.now().toString(), "data", JSON.convertValue(data, Map.class));
    }

    @AfterAll
    void stop() {
        writer.close();
        PIPELINE_SERVICE.close();
    }

    @Test
    void aDealMissingAnEventIsCompletedFromTheStoreInOrder() throws Exception {
        JsonNode funnel = await("/api/v1/funnel?pipelineId=" + pipeline, r -> r.status() == 200
                && r.body().get("stages").get(2).get("entered").asLong() == 1).body();
        JsonNode stages = funnel.get("stages");
        assertEquals(1, stages.get(1).get("entered").asLong(), "the missing move into Qualified was fetched and applied");
        assertEquals(1, stages.get(2).get("current").asLong(), "then the waiting move into Demo");
        assertEquals(5.0, stages.get(1).get("timeInStageHours").get("mean").asDouble(), 1e-9, "Qualified from 2 h to 7 h");
        assertTrue(ASKED.get() >= 1, "the store was asked");
    }
}
