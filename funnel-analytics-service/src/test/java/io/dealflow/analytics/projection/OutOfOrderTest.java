package io.dealflow.analytics.projection;

import com.fasterxml.jackson.databind.JsonNode;
import io.dealflow.analytics.support.AnalyticsTest;
import io.dealflow.analytics.support.EventWriter;
import io.dealflow.events.v1.DealCreated;
import io.dealflow.events.v1.DealMovedToStage;
import io.dealflow.events.v1.DealWon;
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
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Per-deal order, whatever the topic's order: an event that comes before an earlier event of its deal waits and is
 * applied after it — never dropped as a "duplicate" it is not. Each deal below is sent out of order on purpose.
 */
@MicronautTest
class OutOfOrderTest extends AnalyticsTest {

    private static final Instant T0 = Instant.parse("2026-10-01T08:00:00Z");
    private final String pipeline = "ooo-" + UUID.randomUUID();
    private final StageInfo lead = new StageInfo("lead", "Lead", 0, 10, "AWARENESS");
    private final StageInfo qualified = new StageInfo("qualified", "Qualified", 1, 20, "INTEREST");
    private final StageInfo demo = new StageInfo("demo", "Demo", 2, 40, "CONSIDERATION");
    private EventWriter writer;

    @BeforeAll
    void send() {
        writer = new EventWriter();
        writer.send(EventTypes.PIPELINE_DEFINED, pipeline, 0, T0, new PipelineDefined(pipeline, "Out of order", List.of(
                new PipelineDefined.PipelineStage("lead", "Lead", 0, 10, "AWARENESS", null),
                new PipelineDefined.PipelineStage("qualified", "Qualified", 1, 20, "INTEREST", null),
                new PipelineDefined.PipelineStage("demo", "Demo", 2, 40, "CONSIDERATION", null)), List.of(), T0, "system"));
        // A: created, then seq 2 (qualified → demo) before seq 1 (lead → qualified), as a re-publish after a skip would
        String a = UUID.randomUUID().toString();
        created(a);
        writer.send(EventTypes.DEAL_MOVED_TO_STAGE, a, 2, at(5), new DealMovedToStage(a, pipeline, qualified, demo, at(5), "u"));
        writer.send(EventTypes.DEAL_MOVED_TO_STAGE, a, 1, at(2), new DealMovedToStage(a, pipeline, lead, qualified, at(2), "u"));
        // B: its move and its win before its creation, the win twice
        String b = UUID.randomUUID().toString();
        writer.send(EventTypes.DEAL_WON, b, 2, at(9), new DealWon(b, pipeline, qualified, eur(), at(9), "u"));
        writer.send(EventTypes.DEAL_MOVED_TO_STAGE, b, 1, at(3), new DealMovedToStage(b, pipeline, lead, qualified, at(3), "u"));
        writer.send(EventTypes.DEAL_WON, b, 2, at(9), new DealWon(b, pipeline, qualified, eur(), at(9), "u"));
        created(b);
        // C: seq 2 arrives and seq 1 never does: C stays where its applied events left it
        String c = UUID.randomUUID().toString();
        created(c);
        writer.send(EventTypes.DEAL_MOVED_TO_STAGE, c, 2, at(4), new DealMovedToStage(c, pipeline, qualified, demo, at(4), "u"));
    }

    @AfterAll
    void close() {
        writer.close();
    }

    private void created(String id) {
        writer.send(EventTypes.DEAL_CREATED, id, 0, T0, new DealCreated(id, pipeline, "Deal", eur(), "o", "web", null, null, null,
                lead, T0, "u"));
    }

    private static Instant at(int hours) {
        return T0.plus(Duration.ofHours(hours));
    }

    private static Money eur() {
        return new Money("100.00", "EUR");
    }

    @Test
    void lateEventsAreAppliedInTheirDealsOrder() throws Exception {
        JsonNode funnel = await("/api/v1/funnel?pipelineId=" + pipeline, r -> r.status() == 200
                && r.body().get("totals").get("deals").asLong() == 3 && r.body().get("totals").get("won").asLong() == 1
                && r.body().get("stages").get(2).get("entered").asLong() == 1).body();
        JsonNode stages = funnel.get("stages");
        assertEquals(3, stages.get(0).get("entered").asLong(), "all three were created in Lead");
        assertEquals(2, stages.get(1).get("entered").asLong(), "A and B entered Qualified: A's late move was not dropped");
        assertEquals(1, stages.get(2).get("entered").asLong(), "A reached Demo after Qualified");
        assertEquals(1, stages.get(2).get("current").asLong(), "A is in Demo");
        assertEquals(1, stages.get(0).get("current").asLong(), "C stays in Lead: its seq 2 waits for the seq 1 that never came");
        assertEquals(1, funnel.get("totals").get("won").asLong(), "B's win, sent twice and before its creation, counted once");
        assertEquals(2, stages.get(1).get("timeInStageHours").get("visits").asLong(), "A's and B's stays in Qualified ended");
        assertEquals((3.0 + 6.0) / 2, stages.get(1).get("timeInStageHours").get("mean").asDouble(), 1e-9,
                "A: 2 h → 5 h, B: 3 h → 9 h, in business time");
        // at least C's seq 2 (the topic is shared with the other test classes, whose deals this read model sees too);
        // awaited, as the funnel above may be complete before the batch holding C's seq 2 is applied
        JsonNode freshness = await("/api/v1/analytics/freshness", r -> r.status() == 200
                && r.body().get("waitingEvents").asLong() >= 1).body();
        assertTrue(freshness.hasNonNull("oldestWaitingSince"), "C's seq 2 waits, visibly: " + freshness);
    }
}
