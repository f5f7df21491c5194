package io.dealflow.analytics.funnel;

import com.fasterxml.jackson.databind.JsonNode;
import io.dealflow.analytics.support.AnalyticsTest;
import io.dealflow.analytics.support.EventWriter;
import io.dealflow.analytics.tally.DurationSketch;
import io.dealflow.events.v1.DealCreated;
import io.dealflow.events.v1.DealLost;
import io.dealflow.events.v1.DealMovedToStage;
import io.dealflow.events.v1.DealWon;
import io.dealflow.events.v1.EventTypes;
import io.dealflow.events.v1.Money;
import io.dealflow.events.v1.PipelineDefined;
import io.dealflow.events.v1.StageInfo;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Five hand-made deal histories through the real consumer; every expected number is worked out by hand
 * in the comments of {@link #histories()}.
 */
@MicronautTest
class FunnelTest extends AnalyticsTest {

    private static final Instant T0 = Instant.parse("2026-10-01T08:00:00Z");
    private final String pipeline = "p-" + UUID.randomUUID();
    private final StageInfo a = new StageInfo("a", "Lead", 0, 10, "AWARENESS");
    private final StageInfo b = new StageInfo("b", "Demo", 1, 40, "CONSIDERATION");
    private final StageInfo c = new StageInfo("c", "Proposal", 2, 70, "DECISION");
    private EventWriter writer;

    private record Sent(String type, String deal, long seq, Instant at, Object payload) {
    }

    private final List<Sent> events = new ArrayList<>();

    @BeforeAll
    void publish() {
        writer = new EventWriter();
        histories();
        events.forEach(e -> writer.send(e.type(), e.deal(), e.seq(), e.at(), e.payload()));
    }

    private void histories() {
        events.add(new Sent(EventTypes.PIPELINE_DEFINED, pipeline, 0, T0, new PipelineDefined(pipeline, "Test", List.of(
                new PipelineDefined.PipelineStage("a", "Lead", 0, 10, "AWARENESS", 7),
                new PipelineDefined.PipelineStage("b", "Demo", 1, 40, "CONSIDERATION", null),
                new PipelineDefined.PipelineStage("c", "Proposal", 2, 70, "DECISION", null)), List.of("Price"), T0, "system")));
        // D1: a -(2h)-> b -(3h)-> c -(1h)-> won
        String d1 = deal("x", a, 0);
        move(d1, 1, a, b, 2);
        move(d1, 2, b, c, 5);
        events.add(new Sent(EventTypes.DEAL_WON, d1, 3, at(6), new DealWon(d1, pipeline, c, eur(), at(6), "u")));
        // D2: a -(4h)-> b -(1h)-> lost
        String d2 = deal("x", a, 0);
        move(d2, 1, a, b, 4);
        events.add(new Sent(EventTypes.DEAL_LOST, d2, 2, at(5), new DealLost(d2, pipeline, b, "Price", null, at(5), "u")));
        // D3: stays open in a
        deal("y", a, 0);
        // D4: created in b, back to a after 10h, open
        String d4 = deal("y", b, 0);
        move(d4, 1, b, a, 10);
        // D5: a -(1h)-> c (skipping b) -(2h)-> lost
        String d5 = deal("y", a, 0);
        move(d5, 1, a, c, 1);
        events.add(new Sent(EventTypes.DEAL_LOST, d5, 2, at(3), new DealLost(d5, pipeline, c, "Price", "late", at(3), "u")));
    }

    /**
     * Partitions are applied independently and the totals are complete before the last moves are: every move, win and loss
     * of the five histories ends a stay, so the stays per stage (3, 3, 2) show them all applied. The marker deal of
     * {@link #redeliveredEventsChangeNothing} only adds a creation.
     */
    private static boolean everyHistoryApplied(JsonNode funnel) {
        JsonNode stages = funnel.get("stages");
        return funnel.get("totals").get("deals").asLong() >= 5 && funnel.get("totals").get("won").asLong() == 1
                && funnel.get("totals").get("lost").asLong() == 2
                && List.of(3L, 3L, 2L).equals(List.of(stages.get(0).get("timeInStageHours").get("visits").asLong(),
                stages.get(1).get("timeInStageHours").get("visits").asLong(), stages.get(2).get("timeInStageHours").get("visits").asLong()));
    }

    private String deal(String owner, StageInfo stage, int hours) {
        String id = UUID.randomUUID().toString();
        events.add(new Sent(EventTypes.DEAL_CREATED, id, 0, at(hours), new DealCreated(id, pipeline, "Deal", eur(), owner, "web",
                null, null, null, stage, at(hours), "u")));
        return id;
    }

    private void move(String id, long seq, StageInfo from, StageInfo to, int hours) {
        events.add(new Sent(EventTypes.DEAL_MOVED_TO_STAGE, id, seq, at(hours), new DealMovedToStage(id, pipeline, from, to, at(hours), "u")));
    }

    private static Instant at(int hours) {
        return T0.plus(Duration.ofHours(hours));
    }

    private static Money eur() {
        return new Money("100.00", "EUR");
    }


    @Test
    void stageNumbersMatchTheHandWorkedHistories() throws Exception {
        JsonNode funnel = await("/api/v1/funnel?pipelineId=" + pipeline, r -> r.status() == 200 && everyHistoryApplied(r.body())).body();

        JsonNode totals = funnel.get("totals");
        assertEquals(5, totals.get("deals").asLong());
        assertEquals(2, totals.get("open").asLong());
        assertEquals(1, totals.get("won").asLong());
        assertEquals(2, totals.get("lost").asLong());
        assertEquals(0.3333, totals.get("winRate").asDouble(), 1e-9);
        assertEquals(pipeline, funnel.get("filters").get("pipelineId").asText());
        assertTrue(Instant.parse(funnel.get("asOf").asText()).compareTo(at(10)) >= 0, "asOf is the newest applied event time");

        JsonNode stages = funnel.get("stages");
        assertEquals(List.of("a", "b", "c"), List.of(stages.get(0).get("stageId").asText(), stages.get(1).get("stageId").asText(), stages.get(2).get("stageId").asText()));
        expectStage(stages.get(0), 5, 5, 2, 3, 0, 0.8);
        expectStage(stages.get(1), 4, 3, 0, 1, 1, 0.5);
        expectStage(stages.get(2), 2, 2, 0, 1, 1, 0.5);

        // stays of 1, 2, 4 h / 1, 3, 10 h / 1, 2 h: median and p90 are nearest-rank values
        expectTime(stages.get(0).get("timeInStageHours"), 3, 2.333, 2.0, 4.0);
        expectTime(stages.get(1).get("timeInStageHours"), 3, 4.667, 3.0, 10.0);
        expectTime(stages.get(2).get("timeInStageHours"), 2, 1.5, 1.0, 2.0);
    }

    @Test
    void filtersByOwnerAndSayWhichFiltersApplied() throws Exception {
        JsonNode funnel = await("/api/v1/funnel?pipelineId=" + pipeline + "&ownerId=x",
                r -> r.status() == 200 && r.body().get("totals").get("deals").asLong() == 2
                        && r.body().get("totals").get("won").asLong() == 1 && r.body().get("totals").get("lost").asLong() == 1).body();
        assertEquals("x", funnel.get("filters").get("ownerId").asText());
        assertEquals(2, funnel.get("stages").get(0).get("reached").asLong());
        assertEquals(2, funnel.get("stages").get(1).get("entered").asLong());
    }

    @Test
    void redeliveredEventsChangeNothing() throws Exception {
        JsonNode before = await("/api/v1/funnel?pipelineId=" + pipeline, r -> r.status() == 200 && everyHistoryApplied(r.body())).body();
        events.forEach(e -> writer.send(e.type(), e.deal(), e.seq(), e.at(), e.payload()));
        // a marker deal on a fresh pipeline-less key proves the consumer got past the duplicates
        String marker = UUID.randomUUID().toString();
        writer.send(EventTypes.DEAL_CREATED, marker, 0, at(20), new DealCreated(marker, pipeline, "Marker", eur(), "z", "web",
                null, null, null, a, at(20), "u"));
        JsonNode after = await("/api/v1/funnel?pipelineId=" + pipeline,
                r -> r.status() == 200 && r.body().get("totals").get("deals").asLong() == 6).body();
        assertEquals(before.get("stages").get(1), after.get("stages").get(1), "stage b unchanged by the duplicates");
        assertEquals(before.get("stages").get(2), after.get("stages").get(2), "stage c unchanged by the duplicates");
        assertEquals(before.get("totals").get("won"), after.get("totals").get("won"));
        assertEquals(before.get("totals").get("lost"), after.get("totals").get("lost"));
        assertEquals(before.get("stages").get(0).get("entered").asLong() + 1, after.get("stages").get(0).get("entered").asLong());
    }

    @Test
    void rebuildingFromTheTopicGivesIdenticalAnswers() throws Exception {
        JsonNode before = await("/api/v1/funnel?pipelineId=" + pipeline, r -> r.status() == 200 && everyHistoryApplied(r.body())).body();
        HttpResponseHolder started = post("/api/v1/analytics/admin/rebuild");
        assertEquals(202, started.status(), started.body());
        JsonNode done = await("/api/v1/analytics/admin/rebuild", r -> r.status() == 200 && "DONE".equals(r.body().get("state").asText())).body();
        assertTrue(done.get("result").get("records").asLong() >= events.size(), done.toString());
        JsonNode progress = done.get("progress");
        assertEquals(done.get("result").get("records").asLong(), progress.get("recordsRead").asLong(), done.toString());
        assertEquals(progress.get("recordsTotal").asLong(), progress.get("recordsRead").asLong(), "all of the topic was read");
        assertEquals(done.get("result").get("applied").asLong(), progress.get("applied").asLong());
        assertEquals(0, progress.get("etaSeconds").asLong(), "nothing left");
        assertTrue(progress.get("eventsPerSecond").asDouble() > 0, done.toString());
        JsonNode after = get("/api/v1/funnel?pipelineId=" + pipeline).body();
        assertEquals(before.get("stages"), after.get("stages"));
        assertEquals(before.get("totals"), after.get("totals"));
    }

    @Test
    void freshnessShowsLagPerPartitionAndTheAgeOfTheNewestEvent() throws Exception {
        JsonNode freshness = await("/api/v1/analytics/freshness", r -> r.status() == 200 && r.body().get("totalLag").asLong() == 0
                && r.body().get("partitions").size() == 6).body();
        assertTrue(freshness.get("newestEventAgeMillis").asLong() > 0);
        long applied = 0;
        for (JsonNode partition : freshness.get("partitions")) {
            applied += partition.get("appliedEvents").asLong();
            assertTrue(partition.has("endOffset") && partition.has("committedOffset"));
        }
        assertTrue(applied >= events.size(), "applied " + applied);
    }

    @Test
    void boardAsItStoodAtAnInstant() throws Exception {
        await("/api/v1/funnel?pipelineId=" + pipeline, r -> r.status() == 200 && everyHistoryApplied(r.body()));
        // at 4.5 h: D3 in a; D1 (a → b at 2 h), D2 (a → b at 4 h) and D4 (created in b) in b; D5 lost at 3 h. Every deal is 100.00 EUR
        Instant at = at(4).plus(Duration.ofMinutes(30));
        JsonNode board = get("/api/v1/funnel/board?pipelineId=" + pipeline + "&at=" + at).body();
        assertEquals(at.toString(), board.get("at").asText());
        assertEquals(at.toString(), board.get("filters").get("at").asText());
        JsonNode stages = board.get("stages");
        assertEquals(1, stages.get(0).get("openDeals").asLong());
        assertEquals("100.00", stages.get(0).get("amounts").get(0).get("amount").asText());
        assertEquals("10.00", stages.get(0).get("amounts").get(0).get("weightedAmount").asText());
        assertEquals(3, stages.get(1).get("openDeals").asLong());
        assertEquals("300.00", stages.get(1).get("amounts").get(0).get("amount").asText());
        assertEquals("120.00", stages.get(1).get("amounts").get(0).get("weightedAmount").asText());
        assertEquals(0, stages.get(2).get("openDeals").asLong());
        assertEquals(0, stages.get(2).get("amounts").size());
        JsonNode eur = board.get("totals").get(0);
        assertEquals(List.of("EUR", "4", "400.00", "130.00"), List.of(eur.get("currency").asText(), eur.get("deals").asText(),
                eur.get("amount").asText(), eur.get("weightedAmount").asText()));
        // owner y at the same instant: D3 in a, D4 in b
        JsonNode y = get("/api/v1/funnel/board?pipelineId=" + pipeline + "&ownerId=y&at=" + at).body();
        assertEquals(List.of(1L, 1L, 0L), List.of(y.get("stages").get(0).get("openDeals").asLong(), y.get("stages").get(1).get("openDeals").asLong(),
                y.get("stages").get(2).get("openDeals").asLong()));

        // tried: an instant that is no instant, one outside the years 0001-9999, a pipeline nobody defined
        for (String bad : List.of("yesterday", "+10000-01-01T00:00:00Z")) {
            Reply reply = get("/api/v1/funnel/board?pipelineId=" + pipeline + "&at=" + java.net.URLEncoder.encode(bad, java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(400, reply.status(), bad);
            assertTrue(reply.contentType().startsWith("application/problem+json"), reply.contentType());
        }
        assertEquals(404, get("/api/v1/funnel/board?pipelineId=nope-" + UUID.randomUUID()).status());
    }

    @Test
    void timeTravelHandlesChangesAtOneInstantAndClocksThatGoBack() throws Exception {
        String p = "tt-" + UUID.randomUUID();
        Instant t = Instant.parse("2026-09-10T20:00:00Z");
        writer.send(EventTypes.PIPELINE_DEFINED, p, 0, t, new PipelineDefined(p, "Time travel", List.of(
                new PipelineDefined.PipelineStage("a", "Lead", 0, 10, "AWARENESS", null),
                new PipelineDefined.PipelineStage("b", "Demo", 1, 40, "CONSIDERATION", null)), List.of("Price"), t, "system"));
        String e1 = UUID.randomUUID().toString();
        writer.send(EventTypes.DEAL_CREATED, e1, 0, t, new DealCreated(e1, p, "E1", eur(), "x", "web", null, null, null, a, t, "u"));
        await("/api/v1/funnel?pipelineId=" + p, r -> r.status() == 200 && r.body().get("totals").get("deals").asLong() == 1);
        // applied in a later batch: E1 moves at the very instant it was created
        writer.send(EventTypes.DEAL_MOVED_TO_STAGE, e1, 1, t, new DealMovedToStage(e1, p, a, b, t, "u"));
        // E2's clock goes back: created at t + 2 h, moved at t + 1 h, won at t + 5 h (the next day)
        String e2 = UUID.randomUUID().toString();
        Instant created2 = t.plus(Duration.ofHours(2));
        writer.send(EventTypes.DEAL_CREATED, e2, 0, created2, new DealCreated(e2, p, "E2", eur(), "y", "web", null, null, null, a, created2, "u"));
        writer.send(EventTypes.DEAL_MOVED_TO_STAGE, e2, 1, t.plus(Duration.ofHours(1)), new DealMovedToStage(e2, p, a, b, t.plus(Duration.ofHours(1)), "u"));
        writer.send(EventTypes.DEAL_WON, e2, 2, t.plus(Duration.ofHours(5)), new DealWon(e2, p, b, eur(), t.plus(Duration.ofHours(5)), "u"));
        await("/api/v1/funnel?pipelineId=" + p, r -> r.status() == 200 && r.body().get("totals").get("won").asLong() == 1
                && r.body().get("stages").get(1).get("entered").asLong() == 2);

        for (Instant at : List.of(t.minusSeconds(1), t, t.plus(Duration.ofMinutes(90)), created2, t.plus(Duration.ofHours(4)),
                t.plus(Duration.ofHours(5)), t.plus(Duration.ofDays(30)))) {
            JsonNode fromChanges = get("/api/v1/funnel?pipelineId=" + p + "&at=" + at).body();
            // a creation window that holds every deal joins the deal table: the same deals, the same answer
            JsonNode fromVisits = get("/api/v1/funnel?pipelineId=" + p + "&from=2000-01-01T00:00:00Z&at=" + at).body();
            assertEquals(fromVisits.get("stages"), fromChanges.get("stages"), "stages at " + at);
            assertEquals(fromVisits.get("totals"), fromChanges.get("totals"), "totals at " + at);
        }
        // at t, E1 was created and moved on to b: one deal, in b, a entered and advanced with a stay of 0 h
        JsonNode atT = get("/api/v1/funnel?pipelineId=" + p + "&at=" + t).body();
        assertEquals(1, atT.get("totals").get("deals").asLong());
        expectStage(atT.get("stages").get(0), 1, 1, 0, 1, 0, 1.0);
        expectStage(atT.get("stages").get(1), 1, 1, 1, 0, 0, 0.0);
        expectTime(atT.get("stages").get(0).get("timeInStageHours"), 1, 0.0, 0.0, 0.0);
    }

    private record HttpResponseHolder(int status, String body) {
    }

    private HttpResponseHolder post(String path) throws Exception {
        var response = java.net.http.HttpClient.newHttpClient().send(io.dealflow.analytics.support.GatewayHeaders.relayed("POST",
                        java.net.URI.create("http://localhost:" + server.getPort() + path)).POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        return new HttpResponseHolder(response.statusCode(), response.body());
    }

    @Test
    void badQueriesGetProblemJson() throws Exception {
        Reply unknown = get("/api/v1/funnel?pipelineId=nope-" + UUID.randomUUID());
        assertEquals(404, unknown.status());
        assertTrue(unknown.contentType().startsWith("application/problem+json"), unknown.contentType());
        assertEquals("https://dealflow.io/problems/pipeline-not-found", unknown.body().get("type").asText());

        Reply badDate = get("/api/v1/funnel?pipelineId=" + pipeline + "&from=last-tuesday");
        assertEquals(400, badDate.status());
        assertEquals("https://dealflow.io/problems/invalid-query", badDate.body().get("type").asText());

        // an instant Java can parse but no calendar month holds (the window is cut into UTC months)
        for (String far : List.of("-1000000000-01-01T00:00:00Z", "+1000000000-12-31T23:59:59Z", "+10000-01-01T00:00:00Z")) {
            Reply farAway = get("/api/v1/funnel?pipelineId=" + pipeline + "&from=" + java.net.URLEncoder.encode(far, java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(400, farAway.status(), far);
            assertEquals("https://dealflow.io/problems/invalid-query", farAway.body().get("type").asText(), far);
        }

        Reply noRoute = get("/api/v1/nothing-here");
        assertEquals(404, noRoute.status());
        assertTrue(noRoute.contentType().startsWith("application/problem+json"), noRoute.contentType());
    }

    private static void expectStage(JsonNode stage, long reached, long entered, long current, long advanced, long lost, double conversion) {
        String id = stage.get("stageId").asText();
        assertEquals(reached, stage.get("reached").asLong(), id + " reached");
        assertEquals(entered, stage.get("entered").asLong(), id + " entered");
        assertEquals(current, stage.get("current").asLong(), id + " current");
        assertEquals(advanced, stage.get("advanced").asLong(), id + " advanced");
        assertEquals(lost, stage.get("lost").asLong(), id + " lost");
        assertEquals(conversion, stage.get("conversionRate").asDouble(), 1e-9, id + " conversion");
    }

    private static void expectTime(JsonNode time, long visits, double mean, double median, double p90) {
        assertEquals(visits, time.get("visits").asLong());
        assertEquals(mean, time.get("mean").asDouble(), 0.001);
        // quantiles come from buckets accurate to 1 %
        assertEquals(median, time.get("median").asDouble(), median * DurationSketch.RELATIVE_ACCURACY + 0.001);
        assertEquals(p90, time.get("p90").asDouble(), p90 * DurationSketch.RELATIVE_ACCURACY + 0.001);
    }
}
