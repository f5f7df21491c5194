package io.dealflow.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The plain-Java subscriber of docs/events.md: only kafka-clients and Jackson, no DealFlow code. It dedupes by
 * remembering the last applied ce_sequence per ce_subject and skips types it does not know.
 */
final class MinimalSubscriber implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final ObjectMapper json = new ObjectMapper();
    final Map<String, Long> lastApplied = new HashMap<>();   // in a real subscriber: in its own database, same transaction
    long applied;
    long duplicates;
    long skipped;

    MinimalSubscriber(String bootstrapServers, String groupId) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, groupId,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of("dealflow.deal-events"));
    }

    void poll(Duration timeout) throws Exception {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(timeout)) {
            String type = header(record, "ce_type");
            String subject = header(record, "ce_subject");
            long sequence = Long.parseLong(header(record, "ce_sequence"));
            if (sequence <= lastApplied.getOrDefault(subject, -1L)) {
                duplicates++;                                   // re-delivered or re-published: already applied
                continue;
            }
            if (!type.startsWith("io.dealflow.") || !type.endsWith(".v1")) {
                skipped++;                                      // a type this subscriber does not know
                continue;
            }
            JsonNode event = json.readTree(record.value());     // e.g. event.get("stage").get("name") for moves
            applied++;
            lastApplied.put(subject, sequence);
        }
        consumer.commitSync();                                  // after applying, never before
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
