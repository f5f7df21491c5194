package io.dealflow.bench.run;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each deal's first event reached the topic (System.nanoTime of this process), read from the end of the topic by
 * a plain consumer on its own thread: splits a create's freshness into the part before Kafka and the part after it.
 */
final class TopicArrivals implements AutoCloseable {

    private final Map<String, Long> firstSeen = new ConcurrentHashMap<>();
    private final Thread reader;
    private volatile boolean running = true;

    TopicArrivals(String bootstrapServers, String topic) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        reader = new Thread(() -> {
            try (consumer) {
                while (running) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                        firstSeen.putIfAbsent(r.key(), System.nanoTime());
                    }
                }
            }
        }, "topic-arrivals");
        reader.start();
    }

    /** The nanoTime the deal's first event was read from the topic, or null if it has not been. */
    Long firstSeen(String dealId) {
        return firstSeen.get(dealId);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        reader.join();
    }
}
