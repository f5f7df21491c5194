package io.dealflow.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One deal's journey, black box: gateway → pipeline-service → event store → Kafka → analytics → gateway. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackboneIT {

    private static final String TOPIC = "dealflow.deal-events";
    private static final List<String> STAGES = List.of("lead", "qualified", "demo", "proposal", "negotiation");
    private static DealFlowSystem system;
    private static final String TOKEN = DealFlowSystem.token("system-test", DealFlowSystem.ALL_SCOPES);
    private static final FunnelModel model = new FunnelModel(STAGES);
    private final HttpClient http = HttpClient.newHttpClient();
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

    record Reply(int status, String contentType, JsonNode body) {
    }

    private Reply send(String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(system.gateway() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + TOKEN)
                .timeout(Duration.ofSeconds(30)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                response.body().isBlank() ? null : json.readTree(response.body()));
    }

    private Reply await(String path, Predicate<Reply> condition, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Reply last = null;
        while (System.nanoTime() < deadline) {
            last = send("GET", path, null);
            if (condition.test(last)) {
                return last;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("not reached in " + timeout + ": " + path + " last answer " + (last == null ? null : last.body()));
    }

    private String create(String title, String amount) throws Exception {
        Reply reply = send("POST", "/api/v1/deals", """
                {"title": "%s", "amount": {"value": "%s", "currency": "EUR"}, "ownerId": "owner-1", "source": "web"}"""
                .formatted(title, amount));
        assertEquals(201, reply.status(), String.valueOf(reply.body()));
        String id = reply.body().get("dealId").asText();
        model.created(id, reply.body().get("stageId").asText());
        return id;
    }

    @Test
    @Order(1)
    void twentyDealsThroughTheGatewayGiveTheFunnelTheTestComputesItself() throws Exception {
        Random random = new Random(42);
        for (int i = 0; i < 20; i++) {
            String id = create("Deal " + i, (1000 + i * 125) + ".00");
            int position = 0;
            int moves = random.nextInt(6);
            for (int m = 0; m < moves; m++) {
                position = random.nextInt(10) < 2 && position > 0 ? position - 1 : Math.min(position + 1 + random.nextInt(2), STAGES.size() - 1);
                Reply moved = send("POST", "/api/v1/deals/" + id + "/moves", "{\"stageId\": \"" + STAGES.get(position) + "\"}");
                assertEquals(200, moved.status(), String.valueOf(moved.body()));
                model.moved(id, STAGES.get(position));
            }
            int ending = random.nextInt(3);
            if (ending == 0) {
                assertEquals(200, send("POST", "/api/v1/deals/" + id + "/win", null).status());
                model.markWon(id);
            } else if (ending == 1) {
                assertEquals(200, send("POST", "/api/v1/deals/" + id + "/loss", "{\"reason\": \"Price\"}").status());
                model.markLost(id);
            }
        }
        assertTrue(model.count("WON") > 0 && model.count("LOST") > 0 && model.count("OPEN") > 0, "the seed gives all three outcomes");

        JsonNode funnel = await("/api/v1/funnel?pipelineId=default", r -> r.status() == 200
                && r.body().get("totals").get("deals").asLong() == 20
                && r.body().get("totals").get("won").asLong() == model.count("WON")
                && r.body().get("totals").get("lost").asLong() == model.count("LOST")
                && sum(r.body(), "current") == model.count("OPEN")
                && sum(r.body(), "entered") == STAGES.stream().mapToLong(model::entered).sum(), Duration.ofSeconds(30)).body();

        assertEquals(model.count("OPEN"), funnel.get("totals").get("open").asLong());
        assertNotNull(funnel.get("asOf"));
        JsonNode stages = funnel.get("stages");
        assertEquals(STAGES.size(), stages.size());
        for (int i = 0; i < STAGES.size(); i++) {
            String stage = STAGES.get(i);
            JsonNode row = stages.get(i);
            assertEquals(stage, row.get("stageId").asText());
            assertEquals(model.reached(stage), row.get("reached").asLong(), stage + " reached");
            assertEquals(model.entered(stage), row.get("entered").asLong(), stage + " entered");
            assertEquals(model.current(stage), row.get("current").asLong(), stage + " current");
            assertEquals(model.advanced(stage), row.get("advanced").asLong(), stage + " advanced");
            assertEquals(model.lostAt(stage), row.get("lost").asLong(), stage + " lost");
            Double expected = model.conversion(i);
            if (expected == null) {
                assertTrue(row.get("conversionRate") == null || row.get("conversionRate").isNull(), stage + " conversion");
            } else {
                assertEquals(expected, row.get("conversionRate").asDouble(), 1e-4, stage + " conversion");
            }
        }
        long won = model.count("WON");
        long lost = model.count("LOST");
        assertEquals((double) won / (won + lost), funnel.get("totals").get("winRate").asDouble(), 1e-4);

        // the analytics board, computed from the event history, equals pipeline-service's board of its own read model
        JsonNode board = await("/api/v1/pipelines/default/board", r -> r.status() == 200 && java.util.stream.StreamSupport
                .stream(r.body().get("stages").spliterator(), false).mapToLong(st -> st.get("count").asLong()).sum() == model.count("OPEN"),
                Duration.ofSeconds(30)).body();
        JsonNode history = send("GET", "/api/v1/funnel/board?pipelineId=default", null).body();
        for (int i = 0; i < STAGES.size(); i++) {
            JsonNode live = board.get("stages").get(i);
            JsonNode fromEvents = history.get("stages").get(i);
            assertEquals(live.get("stageId").asText(), fromEvents.get("stageId").asText());
            assertEquals(model.current(STAGES.get(i)), fromEvents.get("openDeals").asLong(), STAGES.get(i) + " open deals");
            assertEquals(live.get("count").asLong(), fromEvents.get("openDeals").asLong(), STAGES.get(i) + " open deals on both boards");
            for (JsonNode money : fromEvents.get("amounts")) {
                JsonNode same = live.get("amounts").get(money.get("currency").asText());
                assertEquals(same.get("total").asText(), money.get("amount").asText(), STAGES.get(i) + " amount");
                assertEquals(same.get("weighted").asText(), money.get("weightedAmount").asText(), STAGES.get(i) + " weighted amount");
            }
            assertEquals(live.get("amounts").size(), fromEvents.get("amounts").size(), STAGES.get(i) + " currencies");
        }
    }

    @Test
    @Order(2)
    void badInputIsA4xxProblemAndStoresNothing() throws Exception {
        long offsetsBefore = topicRecords();
        String existing = model.stages.isEmpty() ? null : create("Target", "10.00");
        String[][] attempts = {
                {"POST", "/api/v1/deals", "{\"title\": \"x\", \"amount\": {\"value\": \"5\", \"currency\": \"EUR\"}, \"stageId\": \"nowhere\"}", "422"},
                {"POST", "/api/v1/deals/" + existing + "/moves", "{\"stageId\": \"nowhere\"}", "422"},
                {"POST", "/api/v1/deals", "{\"title\": \"x\", \"amount\": {\"value\": \"-5.00\", \"currency\": \"EUR\"}}", "400"},
                {"POST", "/api/v1/deals", "{\"amount\": {\"value\": \"5.00\", \"currency\": \"EUR\"}}", "400"},
                {"POST", "/api/v1/deals", "{\"title\": \"x\", \"amount\": {", "400"},
                {"POST", "/api/v1/deals/" + UUID.randomUUID() + "/moves", "{\"stageId\": \"demo\"}", "404"},
                {"GET", "/api/v1/deals/" + UUID.randomUUID(), null, "404"},
        };
        for (String[] attempt : attempts) {
            Reply reply = send(attempt[0], attempt[1], attempt[2]);
            String what = attempt[0] + " " + attempt[1] + " " + attempt[2];
            assertEquals(Integer.parseInt(attempt[3]), reply.status(), what + " -> " + reply.body());
            assertTrue(reply.contentType().startsWith("application/problem+json"), what + ": " + reply.contentType());
            assertTrue(reply.body().get("type").asText().startsWith("https://dealflow.io/problems/"), what);
            assertNull(reply.body().get("trace"), what);
        }
        // A valid marker after the bad requests: once it is in the funnel, everything stored before it was published.
        String marker = create("Marker", "1.00");
        await("/api/v1/funnel?pipelineId=default", r -> r.status() == 200 && r.body().get("totals").get("deals").asLong() == 22,
                Duration.ofSeconds(30));
        Thread.sleep(1000);
        assertEquals(offsetsBefore + 2, topicRecords(), "only the target and the marker deal were stored and published");
        assertNotNull(marker);
    }

    @Test
    @Order(3)
    void eventsRecordTheTokensSubjectNotASpoofedHeader() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(system.gateway() + "/api/v1/deals"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"title\": \"Spoof\", \"amount\": {\"value\": \"1.00\", \"currency\": \"EUR\"}}"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + DealFlowSystem.token("carol", "deals:write deals:read"))
                .header("X-DealFlow-Subject", "mallory").build();
        JsonNode created = json.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
        JsonNode history = send("GET", "/api/v1/deals/" + created.get("dealId").asText() + "/history", null).body();
        assertEquals("carol", history.get("events").get(0).get("actor").asText());
        model.created(created.get("dealId").asText(), "lead");
        Reply noToken = sendWithoutToken("/api/v1/funnel?pipelineId=default");
        assertEquals(401, noToken.status());
    }

    private Reply sendWithoutToken(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(system.gateway() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), json.readTree(response.body()));
    }

    @Test
    @Order(4)
    void aNewDealShowsInTheFunnelWithinSeconds() throws Exception {
        long deals = model.deals();
        await("/api/v1/funnel?pipelineId=default", r -> r.body().get("totals").get("deals").asLong() == deals, Duration.ofSeconds(30));
        long start = System.nanoTime();
        create("Fresh", "42.00");
        await("/api/v1/funnel?pipelineId=default", r -> r.body().get("totals").get("deals").asLong() == deals + 1, Duration.ofSeconds(10));
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("create-to-funnel through the gateway: " + millis + " ms");
    }

    /** The trace context the gateway gives a request (made up when the caller sent none) is on the event it caused. */
    @Test
    @Order(5)
    void theRequestsTraceContextTravelsOnItsEvent() throws Exception {
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(system.gateway() + "/api/v1/deals"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"title\": \"Traced\", \"amount\": {\"value\": \"3.00\", \"currency\": \"EUR\"}}"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
        String traceparent = created.headers().firstValue("traceparent").orElseThrow();
        String dealId = json.readTree(created.body()).get("dealId").asText();
        model.created(dealId, "lead");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, system.kafka()),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(TOPIC).forEach(p -> partitions.add(new TopicPartition(TOPIC, p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            String onTheEvent = null;
            while (onTheEvent == null && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (dealId.equals(r.key()) && r.headers().lastHeader("ce_traceparent") != null) {
                        onTheEvent = new String(r.headers().lastHeader("ce_traceparent").value(), StandardCharsets.UTF_8);
                    }
                }
            }
            assertEquals(traceparent, onTheEvent, "the created event carries the request's traceparent");
        }
    }

    /** The events on the topic, as a read-committed consumer sees them (offsets also count transaction markers). */
    private long topicRecords() {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, system.kafka(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(TOPIC).forEach(p -> partitions.add(new TopicPartition(TOPIC, p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long records = 0;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                records += consumer.poll(Duration.ofMillis(200)).count();
            }
            return records;
        }
    }

    private static long sum(JsonNode funnel, String field) {
        long total = 0;
        for (JsonNode stage : funnel.get("stages")) {
            total += stage.get(field).asLong();
        }
        return total;
    }
}
