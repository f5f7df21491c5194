package io.dealflow.pipeline.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.dealflow.events.v1.EventTypes;
import io.dealflow.pipeline.support.Api;
import io.dealflow.pipeline.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A deal's public events from the store, from a sequence on: what a consumer fetches when one never reached it. */
class DealEventsTest extends IntegrationTest {

    @LocalServerPort
    int port;

    @Test
    void theStoreAnswersWithTheDealsPublicEventsFromTheSequenceAsked() throws Exception {
        Api api = new Api(port);
        String dealId = api.createDeal("{\"title\": \"Fetched\", \"amount\": {\"value\": \"10.00\", \"currency\": \"EUR\"}}");
        assertEquals(200, api.post("/api/v1/deals/" + dealId + "/moves", "{\"stageId\": \"qualified\"}").status());
        assertEquals(200, api.post("/api/v1/deals/" + dealId + "/win", "{}").status());

        JsonNode all = api.get("/api/v1/admin/deals/" + dealId + "/events").body();
        assertEquals(3, all.get("events").size());
        JsonNode fromOne = api.get("/api/v1/admin/deals/" + dealId + "/events?fromSequence=1").body().get("events");
        assertEquals(2, fromOne.size());
        assertEquals(EventTypes.DEAL_MOVED_TO_STAGE, fromOne.get(0).get("type").asText());
        assertEquals(1, fromOne.get(0).get("sequence").asLong());
        assertEquals("qualified", fromOne.get(0).get("data").get("to").get("id").asText());
        assertEquals(dealId, fromOne.get(0).get("data").get("dealId").asText());
        assertEquals(EventTypes.DEAL_WON, fromOne.get(1).get("type").asText());

        assertEquals(404, api.get("/api/v1/admin/deals/" + UUID.randomUUID() + "/events").status());
        assertEquals(400, api.get("/api/v1/admin/deals/" + dealId + "/events?fromSequence=-1").status());
        assertEquals(400, api.get("/api/v1/admin/deals/" + dealId + "/events?fromSequence=one").status());
        assertEquals(403, api.callAs("reader", "deals:read", "GET", "/api/v1/admin/deals/" + dealId + "/events", null).status(),
                "the store's raw events are for the admin scope");
    }
}
