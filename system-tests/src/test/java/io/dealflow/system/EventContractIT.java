package io.dealflow.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The event contract end to end: a pipeline-service crash in the middle of writing, a re-publish of the whole
 * store and a rebuild of the analytics read model — and after each, store, topic and projection agree and
 * every funnel number is what it was.
 */
class EventContractIT {

    private static final List<String> STAGES = List.of("lead", "qualified", "demo", "proposal", "negotiation");
    private static DealFlowSystem system;
    private static final String TOKEN = DealFlowSystem.token("system-test", DealFlowSystem.ALL_SCOPES);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        system = DealFlowSystem.start();
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    private JsonNode call(String method, String path, String body) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(system.gateway() + path))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + TOKEN)
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode node = response.body().isBlank() ? json.createObjectNode() : json.readTree(response.body());
            return node.isObject() ? ((com.fasterxml.jackson.databind.node.ObjectNode) node).put("_status", response.statusCode()) : node;
        } catch (Exception e) {
            return json.createObjectNode().put("_status", 0).put("_error", e.toString());
        }
    }

    private JsonNode await(String path, Predicate<JsonNode> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = call("GET", path, null);
            if (condition.test(last)) {
                return last;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(path + " never satisfied the condition; last: " + last);
    }

    private JsonNode consistent() throws InterruptedException {
        return await("/api/v1/analytics/reconciliation", r -> "CONSISTENT".equals(r.path("status").asText()), Duration.ofSeconds(60));
    }

    @Test
    void crashRepublishAndRebuildLeaveEveryNumberAsItWas() throws Exception {
        Set<String> created = ConcurrentHashMap.newKeySet();
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = new Thread(() -> {
            Random random = new Random(11);
            int i = 0;
            while (writing.get()) {
                JsonNode deal = call("POST", "/api/v1/deals", "{\"title\": \"Crash " + i++ + "\", \"amount\": {\"value\": \"10.00\", \"currency\": \"EUR\"}}");
                if (deal.path("_status").asInt() == 201) {
                    String id = deal.get("dealId").asText();
                    created.add(id);
                    call("POST", "/api/v1/deals/" + id + "/moves", "{\"stageId\": \"" + STAGES.get(1 + random.nextInt(4)) + "\"}");
                    if (random.nextBoolean()) {
                        call("POST", "/api/v1/deals/" + id + (random.nextBoolean() ? "/win" : "/loss"), "{\"reason\": \"Price\"}");
                    }
                }
            }
        });
        writer.start();
        while (created.size() < 30) {
            Thread.sleep(50);
        }
        system.crashAndRestartPipelineService();
        int afterRestart = created.size();
        while (created.size() < afterRestart + 30) {
            Thread.sleep(50);
        }
        writing.set(false);
        writer.join();

        JsonNode report = consistent();
        assertTrue(report.get("storeEvents").asLong() >= 2L * created.size(), report.toString());
        assertEquals(report.get("storeEvents").asLong(), report.get("topicDistinctEvents").asLong());
        assertEquals(report.get("storeEvents").asLong(), report.get("appliedEvents").asLong());
        JsonNode funnel = call("GET", "/api/v1/funnel?pipelineId=default", null);
        assertTrue(funnel.get("totals").get("deals").asLong() >= created.size(), "every acknowledged deal is in the funnel: " + created.size() + " created, funnel " + funnel + ", reconciliation " + report);
        long storeEvents = report.get("storeEvents").asLong();

        assertEquals(202, call("POST", "/api/v1/admin/republish", null).path("_status").asInt());
        JsonNode republished = await("/api/v1/analytics/reconciliation",
                r -> r.path("topicRecords").asLong() >= 2 * storeEvents && "CONSISTENT".equals(r.path("status").asText()), Duration.ofSeconds(90));
        assertEquals(storeEvents, republished.get("appliedEvents").asLong(), "duplicates changed nothing");
        assertFunnelEquals(funnel, call("GET", "/api/v1/funnel?pipelineId=default", null));

        try (MinimalSubscriber subscriber = new MinimalSubscriber(system.kafka(), "third-party-" + java.util.UUID.randomUUID())) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (subscriber.applied + subscriber.duplicates < 2 * storeEvents && System.nanoTime() < deadline) {
                subscriber.poll(Duration.ofMillis(500));
            }
            assertEquals(storeEvents, subscriber.applied, "a third party using only the contract applies every event exactly once");
            assertTrue(subscriber.duplicates >= storeEvents, "and recognises the re-published copies");
        }

        JsonNode rebuilt = call("POST", "/api/v1/analytics/admin/rebuild", null);
        assertEquals(202, rebuilt.path("_status").asInt(), rebuilt.toString());
        await("/api/v1/analytics/admin/rebuild", r -> "DONE".equals(r.path("state").asText()), Duration.ofSeconds(60));
        assertFunnelEquals(funnel, call("GET", "/api/v1/funnel?pipelineId=default", null));
        assertEquals("CONSISTENT", consistent().get("status").asText());
    }

    private static void assertFunnelEquals(JsonNode expected, JsonNode actual) {
        assertEquals(expected.get("totals"), actual.get("totals"));
        assertEquals(expected.get("stages"), actual.get("stages"));
    }
}
