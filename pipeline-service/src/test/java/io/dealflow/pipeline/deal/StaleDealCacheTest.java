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
 * skipped — and an If-Match that was true only for the cached copy must fail. Also when the cached copy would have
 * written nothing: a move it finds already done, an If-Match only the stored deal matches, a rule only the cached copy
 * breaks are all decided again on the stored deal.
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
        String dealId = cachedInQualifiedAndMovedToDemoElsewhere(api);

        Reply moved = api.post("/api/v1/deals/" + dealId + "/moves", "{\"stageId\": \"proposal\"}");
        assertEquals(200, moved.status(), String.valueOf(moved.body()));
        assertEquals("proposal", moved.body().get("stageId").asText());
        assertEquals(List.of(0L, 1L, 2L, 3L), sequences(dealId));
        assertEquals("\"3\"", moved.etag());
    }

    @Test
    void anIfMatchThatOnlyTheCachedCopyMatchesIsRefused() throws Exception {
        Api api = new Api(port);
        String dealId = cachedInQualifiedAndMovedToDemoElsewhere(api);

        Reply moved = api.post("/api/v1/deals/" + dealId + "/moves", "{\"stageId\": \"proposal\"}", "If-Match", "\"1\"");
        assertEquals(412, moved.status(), String.valueOf(moved.body()));
        assertEquals(List.of(0L, 1L, 2L), sequences(dealId));
        assertEquals("demo", api.get("/api/v1/deals/" + dealId).body().get("stageId").asText());
    }

    @Test
    void aMoveOnlyTheCachedCopyFindsDoneIsMadeOnTheStoredDeal() throws Exception {
        Api api = new Api(port);
        String dealId = cachedInQualifiedAndMovedToDemoElsewhere(api);

        Reply moved = api.post("/api/v1/deals/" + dealId + "/moves", "{\"stageId\": \"qualified\"}");
        assertEquals(200, moved.status(), String.valueOf(moved.body()));
        assertEquals("qualified", moved.body().get("stageId").asText(), "moved back, not answered with the stored stage");
        assertEquals(List.of(0L, 1L, 2L, 3L), sequences(dealId));
        assertEquals("\"3\"", moved.etag());
    }

    @Test
    void anIfMatchOnlyTheStoredDealMatchesIsAccepted() throws Exception {
        Api api = new Api(port);
        String dealId = cachedInQualifiedAndMovedToDemoElsewhere(api);
        assertEquals("\"2\"", api.get("/api/v1/deals/" + dealId).etag(), "what a client reads before its If-Match");

        Reply moved = api.post("/api/v1/deals/" + dealId + "/moves", "{\"stageId\": \"proposal\"}", "If-Match", "\"2\"");
        assertEquals(200, moved.status(), String.valueOf(moved.body()));
        assertEquals("proposal", moved.body().get("stageId").asText());
        assertEquals(List.of(0L, 1L, 2L, 3L), sequences(dealId));
    }

    @Test
    void aRuleOnlyTheCachedCopyBreaksRefusesNothing() throws Exception {
        Api api = new Api(port);
        String dealId = api.createDeal("{\"title\": \"Cached\", \"amount\": {\"value\": \"10.00\", \"currency\": \"EUR\"}}");
        assertEquals(200, api.post("/api/v1/deals/" + dealId + "/win", null).status());

        eventStore.publish(new GenericDomainEventMessage<>("Deal", dealId, 2, new DealReopened(dealId, "default", DealStatus.WON,
                new StageSnapshot("qualified", "qualified", 1, 20, Phase.INTEREST), Instant.now())));

        Reply moved = api.post("/api/v1/deals/" + dealId + "/moves", "{\"stageId\": \"proposal\"}");
        assertEquals(200, moved.status(), "the cached copy is won, the stored deal reopened: " + moved.body());
        assertEquals("proposal", moved.body().get("stageId").asText());
        assertEquals(List.of(0L, 1L, 2L, 3L), sequences(dealId));

        assertEquals(200, api.post("/api/v1/deals/" + dealId + "/win", null).status());
        Reply refused = api.post("/api/v1/deals/" + dealId + "/moves", "{\"stageId\": \"demo\"}");
        assertEquals(409, refused.status(), "a deal won on the store is still refused a move: " + refused.body());
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), sequences(dealId));
    }

    /** A deal moved to qualified here (and cached), then moved on to demo by "another instance". */
    private String cachedInQualifiedAndMovedToDemoElsewhere(Api api) throws Exception {
        String dealId = api.createDeal("{\"title\": \"Cached\", \"amount\": {\"value\": \"10.00\", \"currency\": \"EUR\"}}");
        assertEquals(200, api.post("/api/v1/deals/" + dealId + "/moves", "{\"stageId\": \"qualified\"}").status());
        assertTrue(dealCache.containsKey(dealId), "the deal is served from memory after a command");
        storedByAnotherInstance(dealId, 2, "qualified", "demo");
        return dealId;
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
