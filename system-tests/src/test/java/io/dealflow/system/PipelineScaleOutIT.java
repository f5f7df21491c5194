package io.dealflow.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dealflow.bench.process.ServiceProcess;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two pipeline-service instances on one PostgreSQL event store, each behind a gateway of its own. Clients move the same
 * deals through both at once, and one instance is killed with -9 in the middle. Afterwards: no 5xx from the surviving
 * side (a conflict is retried on the stored events, or answered 409), every acknowledged move is in its deal's
 * history, and every stored event is on the topic in its deal's order — the publisher's segments were split two and
 * two, and the killed instance's share was taken over by the other, and, with the publisher's transactions on, each event is on the topic exactly once for a
 * read-committed consumer (what the killed instance had committed to Kafka but not yet recorded as sent is not sent
 * again; what it had in an open Kafka transaction is aborted when its segment is taken over). Needs the PostgreSQL server at {@code DEALFLOW_TEST_PG_SERVER}
 * (default 127.0.0.1:5432, user postgres); skipped, saying so, where none answers.
 */
class PipelineScaleOutIT {

    private static final String TOPIC = "dealflow.deal-events";
    private static final List<String> STAGES = List.of("lead", "qualified", "demo", "proposal", "negotiation");
    private static final String PG_SERVER = System.getenv().getOrDefault("DEALFLOW_TEST_PG_SERVER", "jdbc:postgresql://127.0.0.1:5432/");
    private static final String PG_USER = System.getenv().getOrDefault("DEALFLOW_TEST_PG_USER", "postgres");
    private static final String DATABASE = "dealflow_scale_out_it";
    private static final List<String> JVM = List.of("-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    private static final String TOKEN = DealFlowSystem.token("scale-out", DealFlowSystem.ALL_SCOPES);

    private static final List<ServiceProcess> started = new ArrayList<>();
    private static ServiceProcess pipelineA;
    private static String pipelineUrlA;
    private static String pipelineUrlB;
    private static String gatewayA;
    private static String gatewayB;
    private static String kafka;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        try (Connection c = DriverManager.getConnection(PG_SERVER + "postgres", PG_USER, ""); Statement s = c.createStatement()) {
            s.execute("drop database if exists " + DATABASE);
            s.execute("create database " + DATABASE);
        } catch (SQLException e) {
            Assumptions.abort("no PostgreSQL at " + PG_SERVER + " (" + e.getMessage() + "): two instances on one event store not tested here");
        }
        Path root = Path.of(System.getProperty("user.dir")).getParent();
        Path data = Files.createTempDirectory("dealflow-scale-out");
        Path logs = root.resolve("system-tests/target/system-logs");
        int kafkaPort = DealFlowSystem.freePort();
        kafka = "localhost:" + kafkaPort;
        started.add(new ServiceProcess("scale-out-kafka", root.resolve("local-kafka/target/local-kafka-exec.jar"),
                Map.of("KAFKA_PORT", String.valueOf(kafkaPort), "KAFKA_CONTROLLER_PORT", String.valueOf(DealFlowSystem.freePort()),
                        "KAFKA_DATA_DIR", data.resolve("kafka").toString()), logs, JVM)
                .start().awaitLog("local-kafka ready", Duration.ofSeconds(60)));
        int portA = DealFlowSystem.freePort();
        int portB = DealFlowSystem.freePort();
        // one after the other, as a rolling start does: the first migrates the store
        pipelineA = pipeline("scale-out-pipeline-a", portA, root, data, logs);
        pipeline("scale-out-pipeline-b", portB, root, data, logs);
        pipelineUrlA = "http://127.0.0.1:" + portA;
        pipelineUrlB = "http://127.0.0.1:" + portB;
        gatewayA = gateway("scale-out-gateway-a", portA, root, logs);
        gatewayB = gateway("scale-out-gateway-b", portB, root, logs);
    }

    private static ServiceProcess pipeline(String name, int port, Path root, Path data, Path logs) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("PORT", String.valueOf(port));
        env.put("BIND_ADDRESS", "127.0.0.1");
        env.put("DEALFLOW_DATA_DIR", data.resolve(name).toString());
        env.put("SPRING_DATASOURCE_URL", PG_SERVER + DATABASE);
        env.put("SPRING_DATASOURCE_USERNAME", PG_USER);
        env.put("SPRING_DATASOURCE_PASSWORD", "");
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka);
        env.put("DEALFLOW_GATEWAY_SECRET", DealFlowSystem.GATEWAY_SECRET);
        env.put("DEALFLOW_PUBLISHER_TRANSACTIONS", "true");
        // four segments, so the two instances each publish a share and the survivor takes the other's over
        env.put("DEALFLOW_PUBLISHER_SEGMENTS", "4");
        ServiceProcess process = new ServiceProcess(name, root.resolve("pipeline-service/target/pipeline-service.jar"), env, logs, JVM).start();
        started.add(process);
        return process.awaitHealthy("http://127.0.0.1:" + port + "/actuator/health/readiness", Duration.ofSeconds(120));
    }

    private static String gateway(String name, int pipelinePort, Path root, Path logs) throws Exception {
        int port = DealFlowSystem.freePort();
        Map<String, String> env = new HashMap<>();
        env.put("PORT", String.valueOf(port));
        env.put("AUTH_HS256_SECRET", DealFlowSystem.SECRET);
        env.put("DEALFLOW_GATEWAY_SECRET", DealFlowSystem.GATEWAY_SECRET);
        env.put("PIPELINE_SERVICE_URL", "http://127.0.0.1:" + pipelinePort);
        // no analytics here: deal commands and the store only
        env.put("ANALYTICS_SERVICE_URL", "http://127.0.0.1:" + DealFlowSystem.freePort());
        env.put("RATE_LIMIT_ENABLED", "false");
        ServiceProcess process = new ServiceProcess(name, root.resolve("api-gateway/target/api-gateway.jar"), env, logs, JVM).start();
        started.add(process);
        process.awaitHealthy("http://localhost:" + port + "/actuator/health/liveness", Duration.ofSeconds(120));
        return "http://localhost:" + port;
    }

    @AfterAll
    static void stop() throws SQLException {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
        if (!started.isEmpty()) {
            try (Connection c = DriverManager.getConnection(PG_SERVER + "postgres", PG_USER, ""); Statement s = c.createStatement()) {
                s.execute("drop database if exists " + DATABASE);
            }
        }
    }

    /** A move the service acknowledged: the deal, the stage asked for, the deal's version in the answer. */
    record Acknowledged(String dealId, String stageId, long version) {
    }

    record Reply(int status, JsonNode body) {
    }

    @Test
    void concurrentCommandsThroughTwoInstancesLoseNothingAndPublishEveryEventOnce() throws Exception {
        // the publisher's four segments split between the two instances, and all of them taken over by B after the kill
        awaitSegments(pipelineUrlA, 2, Duration.ofSeconds(30));
        awaitSegments(pipelineUrlB, 2, Duration.ofSeconds(30));
        List<String> deals = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Reply created = send(i % 2 == 0 ? gatewayA : gatewayB, "POST", "/api/v1/deals",
                    "{\"title\": \"Scale-out " + i + "\", \"amount\": {\"value\": \"100.00\", \"currency\": \"EUR\"}}");
            assertEquals(201, created.status(), created.body().toString());
            deals.add(created.body().get("dealId").asText());
        }

        AtomicBoolean aKilled = new AtomicBoolean();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Acknowledged> acknowledged = Collections.synchronizedList(new ArrayList<>());
        Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
        ExecutorService clients = Executors.newFixedThreadPool(6);
        List<Future<?>> load = new ArrayList<>();
        for (int c = 0; c < 6; c++) {
            Random random = new Random(c);
            load.add(clients.submit(() -> {
                while (running.get()) {
                    // a few deals, so the two instances keep writing the same ones
                    String deal = deals.get(random.nextInt(8));
                    String stage = STAGES.get(random.nextInt(STAGES.size()));
                    boolean throughA = random.nextBoolean();
                    boolean aWasDead = aKilled.get();
                    Reply reply = send(throughA ? gatewayA : gatewayB, "POST", "/api/v1/deals/" + deal + "/moves",
                            "{\"stageId\": \"" + stage + "\"}");
                    outcomes.computeIfAbsent((throughA ? "A " : "B ") + reply.status(), k -> new AtomicInteger()).incrementAndGet();
                    if (reply.status() == 200) {
                        acknowledged.add(new Acknowledged(deal, stage, reply.body().get("version").asLong()));
                    } else if (reply.status() != 409 && !(throughA && (aWasDead || aKilled.get()))) {
                        // only requests to the instance being killed may fail otherwise
                        unexpected.add((throughA ? "A " : "B ") + reply.status() + " " + reply.body());
                    }
                }
                return null;
            }));
        }
        Thread.sleep(8_000);
        aKilled.set(true);
        pipelineA.crash();
        awaitSegments(pipelineUrlB, 4, Duration.ofSeconds(45));
        Thread.sleep(2_000);
        running.set(false);
        for (Future<?> f : load) {
            f.get();
        }
        clients.shutdown();
        System.out.println("Scale-out answers (gateway status → count): " + outcomes);

        assertTrue(unexpected.isEmpty(), "answers other than 200 or 409 from a live instance: " + unexpected);
        assertTrue(acknowledged.size() >= 50, "only " + acknowledged.size() + " moves acknowledged");
        assertTrue(outcomes.keySet().stream().anyMatch(k -> k.startsWith("A 200")) && outcomes.keySet().stream().anyMatch(k -> k.startsWith("B 200")),
                "both instances acknowledged moves: " + outcomes);

        // every acknowledged move is in its deal's history: the deal was in that stage at or before the acknowledged version
        Map<String, JsonNode> histories = new HashMap<>();
        for (String deal : deals) {
            Reply history = send(gatewayB, "GET", "/api/v1/deals/" + deal + "/history", null);
            assertEquals(200, history.status(), history.body().toString());
            histories.put(deal, history.body().get("events"));
        }
        for (Acknowledged move : acknowledged) {
            assertTrue(reachedAtOrBefore(histories.get(move.dealId()), move.stageId(), move.version()),
                    "acknowledged move of " + move.dealId() + " to " + move.stageId() + " (version " + move.version() + ") is not in its history");
        }

        // every stored event on the topic once, in its deal's order, including those the killed instance stored
        Map<String, Long> stored = storedEvents();
        long total = stored.values().stream().mapToLong(Long::longValue).sum();
        Map<String, List<Published>> published = readTopicUntil(total, Duration.ofSeconds(90));
        int resent = 0;
        for (Map.Entry<String, Long> deal : stored.entrySet()) {
            List<Long> firstSeen = new ArrayList<>();
            Map<Long, String> idOfSequence = new HashMap<>();
            for (Published event : published.getOrDefault(deal.getKey(), List.of())) {
                String earlierId = idOfSequence.putIfAbsent(event.sequence(), event.id());
                if (earlierId == null) {
                    firstSeen.add(event.sequence());
                } else {
                    assertEquals(earlierId, event.id(), "deal " + deal.getKey() + ": a second record of sequence " + event.sequence()
                            + " is the same event sent again");
                    resent++;
                }
            }
            List<Long> expected = new ArrayList<>();
            for (long s = 0; s < deal.getValue(); s++) {
                expected.add(s);
            }
            assertEquals(expected, firstSeen, "deal " + deal.getKey() + ": every stored event on the topic, first seen in order");
        }
        System.out.println("Scale-out: " + total + " stored events on the topic, " + resent + " sent again after the kill");
        assertEquals(0, resent, "each stored event is on the topic exactly once, also across the kill");
    }

    record Published(long sequence, String id) {
    }

    /** Waits until the instance reports working on that many of the publisher's segments (its Prometheus gauge). */
    private void awaitSegments(String pipeline, int expected, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        int claimed = -1;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(pipeline + "/actuator/prometheus")).build(),
                    HttpResponse.BodyHandlers.ofString());
            claimed = metrics.body().lines().filter(line -> line.startsWith("dealflow_publisher_segments_claimed"))
                    .mapToInt(line -> (int) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).findFirst().orElse(-1);
            if (claimed == expected) {
                System.out.println("Scale-out: " + pipeline + " works on " + claimed + " publisher segments");
                return;
            }
            Thread.sleep(200);
        }
        assertEquals(expected, claimed, pipeline + ": publisher segments claimed");
    }

    private static boolean reachedAtOrBefore(JsonNode events, String stageId, long version) {
        for (JsonNode event : events) {
            if (event.get("version").asLong() > version) {
                break;
            }
            JsonNode stage = event.get("changes").get("stageId");
            String reached = stage == null ? null : stage.isObject() ? stage.get("to").asText() : stage.asText();
            if (stageId.equals(reached)) {
                return true;
            }
        }
        return false;
    }

    /** Events per deal in the store (the pipeline aggregate's own events left out). */
    private Map<String, Long> storedEvents() throws Exception {
        Reply counts = send(gatewayB, "GET", "/api/v1/admin/store-counts", null);
        assertEquals(200, counts.status(), counts.body().toString());
        Map<String, Long> perDeal = new HashMap<>();
        for (JsonNode aggregate : counts.body().get("aggregates")) {
            String id = aggregate.get("aggregateId").asText();
            if (!id.equals("default")) {
                perDeal.put(id, aggregate.get("events").asLong());
            }
        }
        return perDeal;
    }

    /** The ce_sequence and ce_id of every deal event on the topic, per deal in topic order, once all expected ones are there. */
    private Map<String, List<Published>> readTopicUntil(long expected, Duration timeout) {
        Map<String, List<Published>> perDeal = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPIC).stream().map(p -> new TopicPartition(TOPIC, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long seen = 0;
            Set<String> distinct = new HashSet<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    String type = new String(r.headers().lastHeader("ce_type").value(), StandardCharsets.UTF_8);
                    if (!type.contains(".deal.")) {
                        continue;
                    }
                    Published event = new Published(
                            Long.parseLong(new String(r.headers().lastHeader("ce_sequence").value(), StandardCharsets.UTF_8)),
                            new String(r.headers().lastHeader("ce_id").value(), StandardCharsets.UTF_8));
                    perDeal.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(event);
                    // counted once per stored event: a copy sent again does not stand in for one still missing
                    if (distinct.add(r.key() + "/" + event.sequence())) {
                        seen++;
                    }
                }
                if (seen >= expected) {
                    // a little longer: a duplicate would come after the last expected event
                    deadline = Math.min(deadline, System.nanoTime() + Duration.ofSeconds(3).toNanos());
                }
            }
            assertTrue(seen >= expected, seen + " deal events on the topic, " + expected + " stored");
        }
        return perDeal;
    }

    private Reply send(String gateway, String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway + path)).timeout(Duration.ofSeconds(15))
                .header("Authorization", "Bearer " + TOKEN);
        if (body != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body().isEmpty() ? json.nullNode() : json.readTree(response.body()));
        } catch (Exception e) {
            return new Reply(-1, json.getNodeFactory().textNode(e.toString()));
        }
    }
}
