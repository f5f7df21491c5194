package io.dealflow.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dealflow.bench.process.ServiceProcess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A three-broker Kafka cluster: pipeline-service creates the topic with three copies of each partition and writes need
 * two in sync (its settings, not the broker's defaults). One broker is killed with -9 while clients create deals
 * through the gateway: every acknowledged deal reaches the topic exactly once and is counted by analytics, whose
 * consumers carry on against the two brokers left.
 */
class KafkaClusterIT {

    private static final String TOPIC = "dealflow.deal-events";
    private static final List<String> JVM = List.of("-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    private static final String TOKEN = DealFlowSystem.token("kafka-cluster", DealFlowSystem.ALL_SCOPES);

    private static final List<ServiceProcess> started = new ArrayList<>();
    private static final List<ServiceProcess> brokers = new ArrayList<>();
    private static String bootstrap;
    private static String gateway;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        Path root = Path.of(System.getProperty("user.dir")).getParent();
        Path data = Files.createTempDirectory("dealflow-kafka-cluster");
        Path logs = root.resolve("system-tests/target/system-logs");
        int[] ports = {DealFlowSystem.freePort(), DealFlowSystem.freePort(), DealFlowSystem.freePort()};
        int[] controllers = {DealFlowSystem.freePort(), DealFlowSystem.freePort(), DealFlowSystem.freePort()};
        String voters = "1@localhost:" + controllers[0] + ",2@localhost:" + controllers[1] + ",3@localhost:" + controllers[2];
        String clusterId = Uuid.randomUuid().toString();
        List<String> addresses = new ArrayList<>();
        // all three at once: a node alone cannot elect a controller
        for (int node = 1; node <= 3; node++) {
            Map<String, String> env = Map.of("KAFKA_PORT", String.valueOf(ports[node - 1]),
                    "KAFKA_CONTROLLER_PORT", String.valueOf(controllers[node - 1]), "KAFKA_DATA_DIR", data.resolve("kafka-" + node).toString(),
                    "KAFKA_NODE_ID", String.valueOf(node), "KAFKA_CONTROLLER_QUORUM_VOTERS", voters, "KAFKA_CLUSTER_ID", clusterId,
                    "KAFKA_REPLICATION_FACTOR", "3", "KAFKA_TOPICS", "");
            ServiceProcess broker = new ServiceProcess("cluster-kafka-" + node, root.resolve("local-kafka/target/local-kafka-exec.jar"),
                    env, logs, JVM).start();
            started.add(broker);
            brokers.add(broker);
            addresses.add("localhost:" + ports[node - 1]);
        }
        for (ServiceProcess broker : brokers) {
            broker.awaitLog("local-kafka ready", Duration.ofSeconds(120));
        }
        bootstrap = String.join(",", addresses);

        int pipelinePort = DealFlowSystem.freePort();
        int analyticsPort = DealFlowSystem.freePort();
        Map<String, String> common = new HashMap<>();
        common.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        common.put("DEALFLOW_GATEWAY_SECRET", DealFlowSystem.GATEWAY_SECRET);
        common.put("BIND_ADDRESS", "127.0.0.1");
        common.put("DEALFLOW_DATA_DIR", data.toString());
        Map<String, String> pipelineEnv = new HashMap<>(common);
        pipelineEnv.put("PORT", String.valueOf(pipelinePort));
        pipelineEnv.put("DEALFLOW_TOPIC_REPLICAS", "3");
        pipelineEnv.put("DEALFLOW_TOPIC_MIN_INSYNC_REPLICAS", "2");
        ServiceProcess pipeline = new ServiceProcess("cluster-pipeline-service", root.resolve("pipeline-service/target/pipeline-service.jar"),
                pipelineEnv, logs, JVM).start();
        started.add(pipeline);
        Map<String, String> analyticsEnv = new HashMap<>(common);
        analyticsEnv.put("PORT", String.valueOf(analyticsPort));
        analyticsEnv.put("PIPELINE_SERVICE_URL", "http://127.0.0.1:" + pipelinePort);
        ServiceProcess analytics = new ServiceProcess("cluster-funnel-analytics-service",
                root.resolve("funnel-analytics-service/target/funnel-analytics-service.jar"), analyticsEnv, logs, JVM).start();
        started.add(analytics);
        int gatewayPort = DealFlowSystem.freePort();
        ServiceProcess gatewayProcess = new ServiceProcess("cluster-api-gateway", root.resolve("api-gateway/target/api-gateway.jar"),
                Map.of("PORT", String.valueOf(gatewayPort), "AUTH_HS256_SECRET", DealFlowSystem.SECRET,
                        "DEALFLOW_GATEWAY_SECRET", DealFlowSystem.GATEWAY_SECRET, "RATE_LIMIT_ENABLED", "false",
                        "PIPELINE_SERVICE_URL", "http://127.0.0.1:" + pipelinePort, "ANALYTICS_SERVICE_URL", "http://127.0.0.1:" + analyticsPort),
                logs, JVM).start();
        started.add(gatewayProcess);
        pipeline.awaitHealthy("http://127.0.0.1:" + pipelinePort + "/actuator/health/readiness", Duration.ofSeconds(180));
        analytics.awaitHealthy("http://127.0.0.1:" + analyticsPort + "/health", Duration.ofSeconds(180));
        gatewayProcess.awaitHealthy("http://localhost:" + gatewayPort + "/actuator/health", Duration.ofSeconds(180));
        gateway = "http://localhost:" + gatewayPort;
    }

    @AfterAll
    static void stop() {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
    }

    @Test
    void losingOneOfThreeBrokersLosesNoAcknowledgedDeal() throws Exception {
        String owner = "cluster-" + Uuid.randomUuid();
        Set<String> acknowledged = Collections.synchronizedSet(new HashSet<>());
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<?>> load = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            load.add(clients.submit(() -> {
                while (running.get()) {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(gateway + "/api/v1/deals"))
                            .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                            .timeout(Duration.ofSeconds(15))
                            .POST(HttpRequest.BodyPublishers.ofString("{\"title\": \"Cluster\", \"amount\": {\"value\": \"10.00\", \"currency\": \"EUR\"},"
                                    + " \"ownerId\": \"" + owner + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 201) {
                        acknowledged.add(json.readTree(response.body()).get("dealId").asText());
                    } else {
                        failures.add(response.statusCode() + " " + response.body());
                    }
                }
                return null;
            }));
        }
        Thread.sleep(6_000);
        brokers.get(1).crash();
        Thread.sleep(10_000);
        running.set(false);
        for (Future<?> f : load) {
            f.get();
        }
        clients.shutdown();
        clients.awaitTermination(10, TimeUnit.SECONDS);
        System.out.println("Kafka cluster: " + acknowledged.size() + " deals acknowledged, broker 2 killed after 6 s");
        assertTrue(failures.isEmpty(), "commands do not depend on a broker: " + failures);
        assertTrue(acknowledged.size() >= 20, "only " + acknowledged.size() + " deals acknowledged");

        String survivors = bootstrap.split(",")[0] + "," + bootstrap.split(",")[2];
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, survivors))) {
            TopicDescription topic = admin.describeTopics(List.of(TOPIC)).allTopicNames().get(30, TimeUnit.SECONDS).get(TOPIC);
            topic.partitions().forEach(p -> assertEquals(3, p.replicas().size(), "partition " + p.partition() + " replicas"));
            Config config = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, TOPIC)))
                    .all().get(30, TimeUnit.SECONDS).values().iterator().next();
            assertEquals("2", config.get("min.insync.replicas").value());
        }

        // every acknowledged deal on the topic, exactly once (its creation, sequence 0)
        Map<String, Integer> creations = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, survivors,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPIC).stream().map(p -> new TopicPartition(TOPIC, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline && !creations.keySet().containsAll(acknowledged)) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (acknowledged.contains(r.key())) {
                        creations.merge(r.key(), 1, Integer::sum);
                    }
                }
            }
            // a duplicate would come after the first copy: read what else arrives for a moment
            long settle = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < settle) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (acknowledged.contains(r.key())) {
                        creations.merge(r.key(), 1, Integer::sum);
                    }
                }
            }
        }
        assertEquals(acknowledged, creations.keySet(), "every acknowledged deal is on the topic");
        creations.forEach((deal, copies) -> assertEquals(1, copies, deal + " published once"));

        // the projection carried on: the owner's funnel counts every acknowledged deal
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        long counted = -1;
        while (System.nanoTime() < deadline && counted != acknowledged.size()) {
            JsonNode funnel = json.readTree(http.send(HttpRequest.newBuilder(URI.create(gateway + "/api/v1/funnel?pipelineId=default&ownerId=" + owner))
                    .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString()).body());
            counted = funnel.path("totals").path("deals").asLong(-1);
            Thread.sleep(500);
        }
        assertEquals(acknowledged.size(), counted, "analytics counts every acknowledged deal");
    }
}
