package io.dealflow.pipeline.deal;

import io.dealflow.pipeline.deal.aggregate.Deal;
import io.dealflow.pipeline.pipeline.Phase;
import io.dealflow.pipeline.support.Api.Reply;
import io.dealflow.pipeline.support.Api;
import io.dealflow.pipeline.support.IntegrationTest;
import org.axonframework.common.caching.Cache;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deals are kept in memory between commands, while other instances may write to the same event store. Tried: a deal
 * is cached here, then an event for it is stored behind this instance's back (as another pipeline-service would);
 * the next command here must be decided on the stored state — no 409 for the client, no event lost, no sequence
 * skipped — and an If-Match that was true only for the cached copy must fail.
 */
class StaleDealCacheTest extends IntegrationTest {

    @LocalServerPort
    int port;
    @Autowired
    EventStore eventStore;
    @Autowired
    Cache dealCache;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aCommandOnADealChangedElsewhereIsDecidedOnTheStoredEvents() throws Exception {
        Api api = new Api(port);
        String dealId = api.createDeal("{\"title\": \"Cached\", \"amount\": {\"value\": \"10.00\", \"currency\": \"EUR\"}}");
        assertEquals(200, api.post("/api/v1/deals/" + dealId + "/moves", "{\"stageId\": \"qualified\"}").status());
        assertTrue(dealCache.containsKey(dealId), "the deal is served from memory after a command");

        storedByAnotherInstance(dealId, 2, "qualified", "demo");

        Reply moved = api.post("/api/v1/deals/" + dealId + "/moves", "{\"stageId\": \"proposal\"}");
        assertEquals(200, moved.status(), String.valueOf(moved.body()));
        assertEquals("proposal", moved.body().get("stageId").asText());
        assertEquals(List.of(0L, 1L, 2L, 3L), sequences(dealId));
        assertEquals("\"3\"", moved.etag());
    }

    @Test
    void anIfMatchThatOnlyTheCachedCopyMatchesIsRefused() throws Exception {
        Api api = new Api(port);
        String dealId = api.createDeal("{\"title\": \"Cached\", \"amount\": {\"value\": \"10.00\", \"currency\": \"EUR\"}}");
        assertEquals(200, api.post("/api/v1/deals/" + dealId + "/moves", "{\"stageId\": \"qualified\"}").status());

        storedByAnotherInstance(dealId, 2, "qualified", "demo");

        Reply moved = api.post("/api/v1/deals/" + dealId + "/moves", "{\"stageId\": \"proposal\"}", "If-Match", "\"1\"");
        assertEquals(412, moved.status(), String.valueOf(moved.body()));
        assertEquals(List.of(0L, 1L, 2L), sequences(dealId));
        assertEquals("demo", api.get("/api/v1/deals/" + dealId).body().get("stageId").asText());
    }

    private void storedByAnotherInstance(String dealId, long sequence, String from, String to) {
        DealMovedToStage moved = new DealMovedToStage(dealId, "default",
                new StageSnapshot(from, from, 1, 20, Phase.INTEREST), new StageSnapshot(to, to, 2, 40, Phase.CONSIDERATION),
                Instant.now());
        eventStore.publish(new GenericDomainEventMessage<>("Deal", dealId, sequence, moved));
    }

    private List<Long> sequences(String dealId) {
        return jdbc.queryForList("select sequencenumber from domainevententry where aggregateidentifier = ? order by sequencenumber",
                Long.class, dealId);
    }
}
