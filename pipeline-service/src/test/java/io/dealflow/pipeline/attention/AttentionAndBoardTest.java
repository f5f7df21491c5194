package io.dealflow.pipeline.attention;

import com.fasterxml.jackson.databind.JsonNode;
import io.dealflow.pipeline.support.Api;
import io.dealflow.pipeline.support.IntegrationTest;
import io.dealflow.pipeline.support.MutableClock;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The read models a seller works from, fed by real events on a clock the test controls. */
@Import(MutableClock.Config.class)
class AttentionAndBoardTest extends IntegrationTest {

    @LocalServerPort
    int port;
    @Autowired
    MutableClock clock;

    @Test
    void attentionListsStalledLateAndOwnerlessDealsWithReasons() throws Exception {
        Api api = new Api(port);
        String pipeline = "att-" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(201, api.post("/api/v1/pipelines", """
                {"id": "%s", "name": "Attention", "stages": [
                  {"id": "lead", "name": "Lead", "probability": 10, "phase": "AWARENESS", "rottingDays": 5},
                  {"id": "won-soon", "name": "Closing", "probability": 90, "phase": "DECISION"}],
                 "lostReasons": ["Price"]}""".formatted(pipeline)).status());
        String stalled = create(api, pipeline, "\"ownerId\": \"a\"");
        String touched = create(api, pipeline, "\"ownerId\": \"a\"");
        String late = create(api, pipeline, "\"ownerId\": \"a\", \"expectedCloseDate\": \"2026-06-03\", \"stageId\": \"won-soon\"");
        String ownerless = create(api, pipeline, "\"stageId\": \"won-soon\"");
        String closed = create(api, pipeline, "\"stageId\": \"won-soon\"");
        api.post("/api/v1/deals/" + closed + "/win", null);

        clock.advance(Duration.ofDays(4));
        api.post("/api/v1/deals/" + touched + "/activities", "{\"kind\": \"CALL\"}");
        clock.advance(Duration.ofDays(2));

        JsonNode items = api.get("/api/v1/deals/attention?pipelineId=" + pipeline).body().get("items");
        Map<String, List<String>> reasons = new HashMap<>();
        items.forEach(item -> {
            List<String> codes = new ArrayList<>();
            item.get("reasons").forEach(r -> codes.add(r.get("code").asText()));
            reasons.put(item.get("deal").get("dealId").asText(), codes);
        });
        assertEquals(List.of("STALLED"), reasons.get(stalled), "6 days idle in a 5-day stage");
        assertFalse(reasons.containsKey(touched), "an activity 2 days ago resets the stall clock");
        assertEquals(List.of("PAST_EXPECTED_CLOSE"), reasons.get(late));
        assertEquals(List.of("NO_OWNER"), reasons.get(ownerless), "the closing stage never stalls");
        assertFalse(reasons.containsKey(closed), "closed deals need no attention");
        assertEquals(4 - 1, reasons.size());
    }

    @Test
    void boardSumsOpenDealsPerStageAndCurrencyWithWeightedAmounts() throws Exception {
        Api api = new Api(port);
        String pipeline = "board-" + UUID.randomUUID().toString().substring(0, 8);
        api.post("/api/v1/pipelines", """
                {"id": "%s", "name": "Board", "stages": [
                  {"id": "a", "name": "A", "probability": 10, "phase": "AWARENESS"},
                  {"id": "b", "name": "B", "probability": 25, "phase": "DECISION"}]}""".formatted(pipeline));
        create(api, pipeline, "\"stageId\": \"a\"", "100.00", "EUR");
        create(api, pipeline, "\"stageId\": \"a\"", "50.50", "EUR");
        create(api, pipeline, "\"stageId\": \"a\"", "1000", "JPY");
        create(api, pipeline, "\"stageId\": \"b\"", "80.00", "USD");
        String won = create(api, pipeline, "\"stageId\": \"b\"", "999.00", "USD");
        api.post("/api/v1/deals/" + won + "/win", null);

        JsonNode board = api.get("/api/v1/pipelines/" + pipeline + "/board").body();
        JsonNode a = board.get("stages").get(0);
        assertEquals(3, a.get("count").asLong());
        assertEquals("150.50", a.get("amounts").get("EUR").get("total").asText());
        assertEquals("15.05", a.get("amounts").get("EUR").get("weighted").asText());
        assertEquals("1000", a.get("amounts").get("JPY").get("total").asText(), "currencies are never mixed");
        assertEquals("100", a.get("amounts").get("JPY").get("weighted").asText());
        assertEquals(3, a.get("deals").size());
        assertEquals("100.00", a.get("deals").get(0).get("amount").get("value").asText(), "largest first within a currency");
        JsonNode b = board.get("stages").get(1);
        assertEquals(1, b.get("count").asLong(), "won deals leave the board");
        assertEquals("20.00", b.get("amounts").get("USD").get("weighted").asText());
        assertTrue(api.get("/api/v1/pipelines/nope/board").status() == 404);
        assertEquals(400, api.get("/api/v1/pipelines/" + pipeline + "/board?dealsPerStage=-1").status());
    }

    @Test
    void boardNarrowsToOneOwnerAndOneSource() throws Exception {
        Api api = new Api(port);
        String pipeline = "owners-" + UUID.randomUUID().toString().substring(0, 8);
        api.post("/api/v1/pipelines", """
                {"id": "%s", "name": "Owners", "stages": [
                  {"id": "a", "name": "A", "probability": 50, "phase": "INTEREST"}]}""".formatted(pipeline));
        create(api, pipeline, "\"stageId\": \"a\", \"ownerId\": \"ann\", \"source\": \"web\"", "10.00", "EUR");
        create(api, pipeline, "\"stageId\": \"a\", \"ownerId\": \"ann\", \"source\": \"referral\"", "20.00", "EUR");
        create(api, pipeline, "\"stageId\": \"a\", \"ownerId\": \"bob\", \"source\": \"web\"", "40.00", "EUR");

        JsonNode ann = api.get("/api/v1/pipelines/" + pipeline + "/board?ownerId=ann").body().get("stages").get(0);
        assertEquals(2, ann.get("count").asLong());
        assertEquals("30.00", ann.get("amounts").get("EUR").get("total").asText());
        assertEquals("15.00", ann.get("amounts").get("EUR").get("weighted").asText());
        assertEquals(2, ann.get("deals").size());
        JsonNode annFromWeb = api.get("/api/v1/pipelines/" + pipeline + "/board?ownerId=ann&source=web").body().get("stages").get(0);
        assertEquals(1, annFromWeb.get("count").asLong());
        assertEquals("10.00", annFromWeb.get("deals").get(0).get("amount").get("value").asText());
        JsonNode web = api.get("/api/v1/pipelines/" + pipeline + "/board?source=web").body().get("stages").get(0);
        assertEquals("50.00", web.get("amounts").get("EUR").get("total").asText());
        assertEquals(0, api.get("/api/v1/pipelines/" + pipeline + "/board?ownerId=nobody").body().get("stages").get(0).get("count").asLong());
        assertEquals(3, api.get("/api/v1/pipelines/" + pipeline + "/board?ownerId=").body().get("stages").get(0).get("count").asLong(),
                "an empty filter is no filter");
    }

    private static String create(Api api, String pipeline, String extra) throws Exception {
        return create(api, pipeline, extra, "10.00", "EUR");
    }

    private static String create(Api api, String pipeline, String extra, String amount, String currency) throws Exception {
        return api.createDeal("{\"title\": \"t\", \"pipelineId\": \"%s\", \"amount\": {\"value\": \"%s\", \"currency\": \"%s\"}, %s}"
                .formatted(pipeline, amount, currency, extra));
    }
}
