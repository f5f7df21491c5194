package io.dealflow.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fault suite: clients create, move, win and lose deals through the gateway while the broker, then pipeline-service
 * (with events stored but not yet published), then funnel-analytics-service in the middle of a rebuild are killed with
 * -9 and restarted; afterwards events of some deals are delivered again, late and out of order, with a poison record
 * among them. A client retries what got no answer (a create under the same Idempotency-Key; a move, win or loss after
 * reading the deal to learn whether it happened), so each acknowledged command is in the test's own model. In the end
 * every acknowledged deal is in the store as the model has it, the funnel equals the model's independent computation,
 * the read model's per-deal sequences equal the store's, and the poison record is on the dead-letter topic.
 */
class FaultsIT {

    private static final List<String> STAGES = List.of("lead", "qualified", "demo", "proposal", "negotiation");
    private static final String TOPIC = "dealflow.deal-events";
    private static final String TOKEN = DealFlowSystem.token("fault-suite", DealFlowSystem.ALL_SCOPES);
    private static DealFlowSystem system;

    private final FunnelModel model = new FunnelModel(STAGES);
    private final Map<String, String> finalStage = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, String> finalStatus = Collections.synchronizedMap(new LinkedHashMap<>());
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicBoolean loading = new AtomicBoolean(true);
    private final AtomicLong unanswered = new AtomicLong();
    private final AtomicLong refusedForNow = new AtomicLong();

    @BeforeAll
    static void start() throws Exception {
        // a rebuild killed halfway holds its lease until it expires; the restarted instance waits that long to consume
        system = DealFlowSystem.start(Map.of("DEALFLOW_REBUILD_LEASE_EXPIRY", "15s"));
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    record Reply(int status, JsonNode body) {
    }

    @Test
    void nothingAcknowledgedIsLostAndNothingCountedTwiceWhateverFails() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            long seed = c;
            running.add(clients.submit(() -> {
                client(new Random(seed));
                return null;
            }));
        }
        Thread.sleep(5_000);
        system.crashAndRestartBroker();
        Thread.sleep(5_000);
        system.crashAndRestartPipelineService();
        Thread.sleep(5_000);
        long dealsBeforeRebuild = funnelDeals();
        killAnalyticsMidRebuild();
        JsonNode afterKill = send("GET", "/api/v1/funnel?pipelineId=default", null).body();
        assertTrue(afterKill.get("totals").get("deals").asLong() >= dealsBeforeRebuild,
                "a rebuild killed halfway leaves the previous read model answering: " + dealsBeforeRebuild + " before, " + afterKill.get("totals"));
        Thread.sleep(3_000);
        loading.set(false);
        for (Future<?> f : running) {
            f.get();
        }
        clients.shutdown();
        assertTrue(model.deals() >= 20, "the load made " + model.deals() + " deals");

        redeliverOutOfOrderWithPoison();

        // every acknowledged deal is in the store as its last acknowledged command left it
        for (String deal : new ArrayList<>(finalStatus.keySet())) {
            JsonNode stored = retry(() -> send("GET", "/api/v1/deals/" + deal, null), r -> r.status() == 200);
            assertEquals(finalStatus.get(deal), stored.get("status").asText(), deal);
            assertEquals(finalStage.get(deal), stored.get("stageId").asText(), deal);
        }
        // the funnel equals the model's computation; the read model's sequences equal the store's
        JsonNode funnel = await("/api/v1/funnel?pipelineId=default", r -> r.status() == 200 && matches(r.body()), Duration.ofSeconds(120)).body();
        for (int i = 0; i < STAGES.size(); i++) {
            String stage = STAGES.get(i);
            JsonNode row = funnel.get("stages").get(i);
            assertEquals(model.entered(stage), row.get("entered").asLong(), stage + " entered");
            assertEquals(model.reached(stage), row.get("reached").asLong(), stage + " reached");
            assertEquals(model.current(stage), row.get("current").asLong(), stage + " current");
            assertEquals(model.lostAt(stage), row.get("lost").asLong(), stage + " lost");
        }
        JsonNode reconciliation = await("/api/v1/analytics/reconciliation", r -> r.status() == 200
                && "CONSISTENT".equals(r.body().get("status").asText()), Duration.ofSeconds(60)).body();
        assertEquals(reconciliation.get("storeEvents").asLong(), reconciliation.get("appliedEvents").asLong(), reconciliation.toString());
        assertTrue(poisonOnDeadLetterTopic(), "the poison record is on the dead-letter topic");
        System.out.println("Fault suite: " + model.deals() + " deals; retried: " + unanswered.get() + " requests without an answer, "
                + refusedForNow.get() + " answered 5xx, 429 or 409");
    }

    /** One client: creates a deal, moves it on a few stages (back now and then), and wins, loses or leaves it open. */
    private void client(Random random) throws Exception {
        while (loading.get()) {
            String key = UUID.randomUUID().toString();
            JsonNode created = retry(() -> send("POST", "/api/v1/deals", "{\"title\": \"Fault " + key + "\", \"amount\": {\"value\": \"100.00\", "
                    + "\"currency\": \"EUR\"}, \"ownerId\": \"fault-owner\"}", Map.of("Idempotency-Key", key)), r -> r.status() == 201 || r.status() == 200);
            String deal = created.get("dealId").asText();
            String stage = created.get("stageId").asText();
            synchronized (model) {
                model.created(deal, stage);
            }
            finalStage.put(deal, stage);
            finalStatus.put(deal, "OPEN");
            int moves = random.nextInt(4);
            for (int m = 0; m < moves && loading.get(); m++) {
                int at = STAGES.indexOf(stage);
                String target = STAGES.get(random.nextInt(10) < 2 && at > 0 ? at - 1 : Math.min(at + 1, STAGES.size() - 1));
                if (target.equals(stage)) {
                    break;
                }
                command(deal, "/moves", "{\"stageId\": \"" + target + "\"}", d -> target.equals(d.get("stageId").asText()));
                synchronized (model) {
                    model.moved(deal, target);
                }
                stage = target;
                finalStage.put(deal, stage);
            }
            int ending = random.nextInt(3);
            if (ending == 0) {
                command(deal, "/win", null, d -> "WON".equals(d.get("status").asText()));
                synchronized (model) {
                    model.markWon(deal);
                }
                finalStatus.put(deal, "WON");
            } else if (ending == 1) {
                command(deal, "/loss", "{\"reason\": \"Price\"}", d -> "LOST".equals(d.get("status").asText()));
                synchronized (model) {
                    model.markLost(deal);
                }
                finalStatus.put(deal, "LOST");
            }
        }
    }

    /** Sends a command until it is acknowledged; after no answer, the deal is read to learn whether it was applied. */
    private void command(String deal, String action, String body, java.util.function.Predicate<JsonNode> applied) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                Reply reply = send("POST", "/api/v1/deals/" + deal + action, body);
                if (reply.status() == 200) {
                    return;
                }
                if (reply.status() < 500 && reply.status() != 429 && reply.status() != 409) {
                    throw new AssertionError(action + " refused: " + reply.status() + " " + reply.body());
                }
                refusedForNow.incrementAndGet();
            } catch (java.io.IOException noAnswer) {
                unanswered.incrementAndGet();
            }
            Thread.sleep(200);
            JsonNode now = retry(() -> send("GET", "/api/v1/deals/" + deal, null), r -> r.status() == 200);
            if (applied.test(now)) {
                return;
            }
        }
        throw new AssertionError(action + " of " + deal + " not acknowledged within 120 s");
    }

    private interface Call {
        Reply send() throws Exception;
    }

    private JsonNode retry(Call call, java.util.function.Predicate<Reply> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        Reply last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = call.send();
                if (done.test(last)) {
                    return last.body();
                }
                if (last.status() < 500 && last.status() != 429) {
                    throw new AssertionError("refused: " + last.status() + " " + last.body());
                }
                refusedForNow.incrementAndGet();
            } catch (java.io.IOException noAnswer) {
                unanswered.incrementAndGet();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no success within 120 s; last " + (last == null ? null : last.status() + " " + last.body()));
    }

    private void killAnalyticsMidRebuild() throws Exception {
        Reply started = send("POST", "/api/v1/analytics/admin/rebuild", null);
        assertEquals(202, started.status(), String.valueOf(started.body()));
        String state = send("GET", "/api/v1/analytics/admin/rebuild", null).body().get("state").asText();
        assertTrue(state.equals("RUNNING") || state.equals("REPUBLISHING"), "killed while the rebuild runs: " + state);
        system.crashAndRestartAnalytics();
    }

    private long funnelDeals() throws Exception {
        return await("/api/v1/funnel?pipelineId=default", r -> r.status() == 200, Duration.ofSeconds(60)).body().get("totals").get("deals").asLong();
    }

    /**
     * Three deals' records are read back from the topic and sent again in reverse order (each a duplicate, the later
     * ones before the earlier), with a record no consumer can read among them.
     */
    private void redeliverOutOfOrderWithPoison() throws Exception {
        Map<String, List<ConsumerRecord<String, byte[]>>> byDeal = new LinkedHashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, system.kafka(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPIC).stream().map(p -> new TopicPartition(TOPIC, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    byDeal.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r);
                }
            }
        }
        List<List<ConsumerRecord<String, byte[]>>> chosen = byDeal.entrySet().stream()
                .filter(e -> finalStatus.containsKey(e.getKey()) && e.getValue().size() >= 3).limit(3).map(Map.Entry::getValue).toList();
        assertEquals(3, chosen.size(), "three deals with three or more events");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, system.kafka(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
            boolean poisoned = false;
            for (List<ConsumerRecord<String, byte[]>> records : chosen) {
                for (int i = records.size() - 1; i >= 0; i--) {
                    ConsumerRecord<String, byte[]> r = records.get(i);
                    producer.send(new ProducerRecord<>(TOPIC, null, r.key(), r.value(), r.headers())).get();
                    if (!poisoned) {
                        producer.send(new ProducerRecord<>(TOPIC, POISON_KEY, "{not a cloud event".getBytes(StandardCharsets.UTF_8))).get();
                        poisoned = true;
                    }
                }
            }
        }
    }

    private static final String POISON_KEY = "poison-" + UUID.randomUUID();

    private boolean poisonOnDeadLetterTopic() {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, system.kafka(),
                ConsumerConfig.GROUP_ID_CONFIG, "fault-suite-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(TOPIC + ".dlt"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (POISON_KEY.equals(r.key())) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    private boolean matches(JsonNode funnel) {
        if (funnel.get("totals").get("deals").asLong() != model.deals()
                || funnel.get("totals").get("won").asLong() != model.count("WON")
                || funnel.get("totals").get("lost").asLong() != model.count("LOST")) {
            return false;
        }
        for (int i = 0; i < STAGES.size(); i++) {
            if (funnel.get("stages").get(i).get("entered").asLong() != model.entered(STAGES.get(i))) {
                return false;
            }
        }
        return true;
    }

    private Reply send(String method, String path, String body) throws Exception {
        return send(method, path, body, Map.of());
    }

    private Reply send(String method, String path, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(system.gateway() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(20));
        headers.forEach(request::header);
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.body().isBlank() ? null : json.readTree(response.body()));
    }

    private Reply await(String path, java.util.function.Predicate<Reply> condition, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Reply last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = send("GET", path, null);
                if (condition.test(last)) {
                    return last;
                }
            } catch (java.io.IOException notYet) {
                // a service restarting
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not reached in " + timeout + ": " + path + " last answer " + (last == null ? null : last.status() + " " + last.body()));
    }
}
