package io.dealflow.kafka;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs {@link LocalKafka} as its own process. Configuration from environment variables:
 * KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), KAFKA_DATA_DIR (data/kafka),
 * KAFKA_TOPICS (dealflow.deal-events,dealflow.deal-events.dlt; set and empty: none), KAFKA_PARTITIONS (6); for a node
 * of a cluster also KAFKA_NODE_ID (1), KAFKA_CONTROLLER_QUORUM_VOTERS (id@host:port of every node), KAFKA_CLUSTER_ID
 * (the same on every node) and KAFKA_REPLICATION_FACTOR (1).
 */
public final class LocalKafkaMain {

    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(env("KAFKA_PORT", "9092"));
        int controllerPort = Integer.parseInt(env("KAFKA_CONTROLLER_PORT", "9093"));
        Path dataDir = Path.of(env("KAFKA_DATA_DIR", "data/kafka"));
        int partitions = Integer.parseInt(env("KAFKA_PARTITIONS", "6"));
        String topicList = System.getenv("KAFKA_TOPICS");
        String[] topics = topicList == null ? new String[] {"dealflow.deal-events", "dealflow.deal-events.dlt"}
                : topicList.isBlank() ? new String[0] : topicList.split(",");
        int nodeId = Integer.parseInt(env("KAFKA_NODE_ID", "1"));
        LocalKafka.Membership membership = new LocalKafka.Membership(nodeId,
                env("KAFKA_CONTROLLER_QUORUM_VOTERS", nodeId + "@localhost:" + controllerPort),
                env("KAFKA_CLUSTER_ID", org.apache.kafka.common.Uuid.randomUuid().toString()),
                Integer.parseInt(env("KAFKA_REPLICATION_FACTOR", "1")));

        LocalKafka kafka = new LocalKafka(dataDir, port, controllerPort, membership).start();
        kafka.createTopics(partitions, topics);
        System.out.println("local-kafka ready on " + kafka.bootstrapServers() + " (data in " + dataDir.toAbsolutePath() + ")");

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafka.stop();
            stopped.countDown();
        }, "local-kafka-shutdown"));
        stopped.await();
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
