package io.dealflow.pipeline.publishing;

import io.dealflow.events.v1.EventTypes;
import io.dealflow.kafka.LocalKafka;
import io.dealflow.pipeline.support.Api;
import io.dealflow.pipeline.support.IntegrationTest;
import io.dealflow.pipeline.support.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.axonframework.config.ConfigurerModule;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.TestPropertySource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The publisher learns of new events from the commit that stored them, not from polling: with its looks (the token
 * claim interval and the claim extension threshold) ten minutes apart, an idle publisher still puts a new deal's event
 * on Kafka within seconds — through the group commit of the REST API and through an import.
 */
@TestPropertySource(properties = "axon.eventhandling.processors.kafka-publisher.token-claim-interval=600000")
class CommitWakeUpTest extends IntegrationTest {

    private static final Duration WELL_BELOW_THE_POLL = Duration.ofSeconds(20);

    @TestConfiguration
    static class PublisherLooksRarely {
        @Bean
        ConfigurerModule publisherLooksEveryTenMinutes() {
            return configurer -> configurer.eventProcessing().registerPooledStreamingEventProcessorConfiguration(
                    DealEventPublisher.GROUP, (config, builder) -> builder.claimExtensionThreshold(600_000));
        }
    }

    @LocalServerPort
    int port;

    @Test
    void anIdlePublisherIsWokenByTheCommit() throws Exception {
        Api api = new Api(port);
        try (TopicReader topic = new TopicReader(LocalKafka.shared().bootstrapServers(), EventTypes.TOPIC)) {
            String first = api.createDeal("{\"title\": \"First\", \"amount\": {\"value\": \"10.00\", \"currency\": \"EUR\"}}");
            assertTrue(onTopic(topic, first), "the publisher runs");

            Thread.sleep(1_000); // the publisher has nothing left to do and waits for its next look (in ten minutes)
            String second = api.createDeal("{\"title\": \"Second\", \"amount\": {\"value\": \"10.00\", \"currency\": \"EUR\"}}");
            assertTrue(onTopic(topic, second), "a created deal is published without waiting for the poll");

            Thread.sleep(1_000);
            String title = "Imported " + System.nanoTime();
            Api.Reply imported = api.call("POST", "/api/v1/imports",
                    "{\"externalId\": \"w-1\", \"title\": \"" + title + "\", \"amount\": {\"value\": \"5.00\", \"currency\": \"EUR\"},"
                            + " \"createdAt\": \"2026-01-05T10:00:00Z\"}\n",
                    "Content-Type", "application/x-ndjson", "Idempotency-Key", "wake-" + System.nanoTime());
            assertEquals(202, imported.status(), imported.toString());
            String payload = "\"title\":\"" + title + "\"";
            assertTrue(topic.readUntil(seen -> seen.stream().anyMatch(r -> contains(r, payload)), WELL_BELOW_THE_POLL)
                    .stream().anyMatch(r -> contains(r, payload)), "an imported deal is published without waiting for the poll");
        }
    }

    private static boolean onTopic(TopicReader topic, String dealId) {
        return topic.readUntil(seen -> seen.stream().anyMatch(r -> dealId.equals(r.key())), WELL_BELOW_THE_POLL)
                .stream().anyMatch(r -> dealId.equals(r.key()));
    }

    private static boolean contains(ConsumerRecord<String, byte[]> record, String text) {
        return new String(record.value(), StandardCharsets.UTF_8).contains(text);
    }
}
