package io.dealflow.pipeline.publishing;

import io.dealflow.kafka.LocalKafka;
import io.dealflow.pipeline.support.IntegrationTest;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The deal-events topic keeps everything, because the service says so — also when the topic existed before with
 * Kafka's usual 7-day retention (as a broker's default would have made it).
 */
class TopicRetentionTest extends IntegrationTest {

    private static final String TOPIC = "retention-" + UUID.randomUUID();

    @DynamicPropertySource
    static void aTopicCreatedWithSevenDays(DynamicPropertyRegistry registry) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, LocalKafka.shared().bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 6, (short) 1).configs(Map.of(
                    TopicConfig.RETENTION_MS_CONFIG, String.valueOf(Duration.ofDays(7).toMillis()),
                    TopicConfig.RETENTION_BYTES_CONFIG, "1073741824")))).all().get();
        }
        registry.add("dealflow.topic", () -> TOPIC);
    }

    @Value("${dealflow.topic}")
    String topic;

    @Test
    void theTopicKeepsEveryEventForEver() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, LocalKafka.shared().bootstrapServers()))) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            assertEquals(TOPIC, topic);
            for (String key : List.of(TopicConfig.RETENTION_MS_CONFIG, TopicConfig.RETENTION_BYTES_CONFIG)) {
                ConfigEntry entry = config.get(key);
                assertEquals("-1", entry.value(), key + " was changed from the topic's earlier limit");
                assertEquals(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG, entry.source(), key + " is set on the topic itself");
            }
            assertEquals(TopicConfig.CLEANUP_POLICY_DELETE, config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value(),
                    "never compacted: every event of a deal stays, not only its last");
        }
    }
}
