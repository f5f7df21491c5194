package io.dealflow.kafka;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs {@link LocalKafka} as its own process. Configuration from environment variables:
 * KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), KAFKA_DATA_DIR (data/kafka),
 * KAFKA_TOPICS (dealflow.deal-events,dealflow.deal-events.dlt), KAFKA_PARTITIONS (6).
 */
public final class LocalKafkaMain {

    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(env("KAFKA_PORT", "9092"));
        int controllerPort = Integer.parseInt(env("KAFKA_CONTROLLER_PORT", "9093"));
        Path dataDir = Path.of(env("KAFKA_DATA_DIR", "data/kafka"));
        int partitions = Integer.parseInt(env("KAFKA_PARTITIONS", "6"));
        String[] topics = env("KAFKA_TOPICS", "dealflow.deal-events,dealflow.deal-events.dlt").split(",");

        LocalKafka kafka = new LocalKafka(dataDir, port, controllerPort).start();
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
