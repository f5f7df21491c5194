package io.dealflow.analytics.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.dealflow.analytics.support.AnalyticsTest;
import io.dealflow.analytics.support.PipelineServiceStandIn;
import io.dealflow.analytics.support.EventWriter;
import io.dealflow.analytics.support.GatewayHeaders;
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

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rebuild replays the topic, so the topic must first hold what the event store holds. pipeline-service is stood in
 * for by an HTTP server: its store holds a deal's creation and a move that never reached the topic. A rebuild that
 * cannot ask the store fails and leaves the read model as it was; one that can asks for a republish (the stand-in then
 * publishes the move), waits until the topic has it, and rebuilds with the move applied.
 */
@MicronautTest
class RebuildFromStoreTest extends AnalyticsTest {

    private static final Instant T0 = Instant.parse("2026-10-01T08:00:00Z");
    private static final AtomicBoolean STORE_DOWN = new AtomicBoolean(true);
    private static final AtomicInteger REPUBLISHES = new AtomicInteger();
    private static final String PIPELINE = "rebuild-" + UUID.randomUUID();
    private static final String DEAL = UUID.randomUUID().toString();
    private static final StageInfo LEAD = new StageInfo("lead", "Lead", 0, 10, "AWARENESS");
    private static final StageInfo QUALIFIED = new StageInfo("qualified", "Qualified", 1, 20, "INTEREST");
    private static final EventWriter WRITER = new EventWriter();
    private static final PipelineServiceStandIn PIPELINE_SERVICE = pipelineService();

    private static PipelineServiceStandIn pipelineService() {
        return new PipelineServiceStandIn(Map.of(
                "/api/v1/admin/store-counts", exchange -> STORE_DOWN.get() ? new PipelineServiceStandIn.Answer(503, "{}")
                        : new PipelineServiceStandIn.Answer(200, "{\"aggregates\": [{\"aggregateId\": \"" + PIPELINE + "\", \"events\": 1}, "
                        + "{\"aggregateId\": \"" + DEAL + "\", \"events\": 2}], \"nextAfter\": null}"),
                "/api/v1/admin/republish", exchange -> {
                    REPUBLISHES.incrementAndGet();
                    WRITER.send(EventTypes.DEAL_MOVED_TO_STAGE, DEAL, 1, T0.plus(Duration.ofHours(3)),
                            new DealMovedToStage(DEAL, PIPELINE, LEAD, QUALIFIED, T0.plus(Duration.ofHours(3)), "u"));
                    return new PipelineServiceStandIn.Answer(202, "{\"status\": \"re-publishing from the start of the store\"}");
                }));
    }

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = super.getProperties();
        properties.put("dealflow.pipeline-service-url", PIPELINE_SERVICE.url());
        properties.put("dealflow.rebuild.store-check", "true");
        properties.put("dealflow.rebuild.republish-timeout", "30s");
        return properties;
    }

    @BeforeAll
    void send() {
        WRITER.send(EventTypes.PIPELINE_DEFINED, PIPELINE, 0, T0, new PipelineDefined(PIPELINE, "Rebuild", List.of(
                new PipelineDefined.PipelineStage("lead", "Lead", 0, 10, "AWARENESS", null),
                new PipelineDefined.PipelineStage("qualified", "Qualified", 1, 20, "INTEREST", null)), List.of(), T0, "system"));
        WRITER.send(EventTypes.DEAL_CREATED, DEAL, 0, T0, new DealCreated(DEAL, PIPELINE, "Deal", new Money("100.00", "EUR"), "o",
                "web", null, null, null, LEAD, T0, "u"));
        // the move (sequence 1) is in the store only
    }

    @AfterAll
    void stop() {
        WRITER.close();
        PIPELINE_SERVICE.close();
    }

    @Test
    void aRebuildFirstGetsTheStoresEventsOntoTheTopic() throws Exception {
        String funnel = "/api/v1/funnel?pipelineId=" + PIPELINE;
        await(funnel, r -> r.status() == 200 && r.body().get("totals").get("deals").asLong() == 1);

        assertEquals(202, post("/api/v1/analytics/admin/rebuild"));
        JsonNode failed = await("/api/v1/analytics/admin/rebuild", r -> "FAILED".equals(r.body().get("state").asText())).body();
        assertTrue(failed.get("error").asText().contains("left as it was"), failed.toString());
        JsonNode untouched = get(funnel).body();
        assertEquals(1, untouched.get("totals").get("deals").asLong(), "without the store the read model stays as it was");
        assertEquals(0, REPUBLISHES.get());

        STORE_DOWN.set(false);
        assertEquals(202, post("/api/v1/analytics/admin/rebuild"));
        JsonNode done = await("/api/v1/analytics/admin/rebuild", r -> "DONE".equals(r.body().get("state").asText())).body();
        assertEquals(1, REPUBLISHES.get(), "the store was published again once");
        JsonNode rebuilt = get(funnel).body();
        assertEquals(1, rebuilt.get("stages").get(1).get("entered").asLong(), "the move the topic lacked is in the rebuilt model: " + done);
        assertEquals(1, rebuilt.get("stages").get(1).get("current").asLong());
    }

    private int post(String path) throws Exception {
        return HttpClient.newHttpClient().send(GatewayHeaders.relayed("POST", URI.create("http://localhost:" + server.getPort() + path))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
