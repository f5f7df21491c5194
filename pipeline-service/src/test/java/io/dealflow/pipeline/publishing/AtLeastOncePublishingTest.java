package io.dealflow.pipeline.publishing;

import io.dealflow.kafka.LocalKafka;
import io.dealflow.pipeline.config.Actor;
import io.dealflow.pipeline.deal.CreateDeal;
import io.dealflow.pipeline.deal.Money;
import io.dealflow.pipeline.support.IntegrationTest;
import io.dealflow.pipeline.support.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** With the publisher's transactions off (the default, set here all the same), every event reaches the topic and no position is kept. */
class AtLeastOncePublishingTest extends IntegrationTest {

    private static final String TOPIC = "at-least-once-" + UUID.randomUUID();

    @DynamicPropertySource
    static void withoutTransactions(DynamicPropertyRegistry registry) {
        registry.add("dealflow.topic", () -> TOPIC);
        registry.add("dealflow.publisher.transactions", () -> "false");
    }

    @Autowired
    CommandGateway commands;

    @Test
    void everyEventReachesTheTopicWithoutTransactions() {
        List<String> deals = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String id = UUID.randomUUID().toString();
            commands.sendAndWait(new CreateDeal(id, "default", null, "At least once " + i, Money.of(new BigDecimal("5.00"), "EUR"),
                    "bob", "referral", LocalDate.parse("2027-03-01"), "Initech", "Peter"), Actor.metaData("bob"));
            deals.add(id);
        }
        try (TopicReader reader = new TopicReader(LocalKafka.shared().bootstrapServers(), TOPIC)) {
            List<ConsumerRecord<String, byte[]>> records = reader.readUntil(
                    seen -> seen.stream().map(ConsumerRecord::key).collect(Collectors.toSet()).containsAll(deals), Duration.ofSeconds(60));
            assertEquals(Set.copyOf(deals), records.stream().map(ConsumerRecord::key).filter(deals::contains).collect(Collectors.toSet()),
                    "every created deal is on the topic");
        }
        try (TopicReader positions = new TopicReader(LocalKafka.shared().bootstrapServers(), TOPIC + ".publisher-positions")) {
            assertEquals(List.of(), positions.readUntil(seen -> false, Duration.ofSeconds(3)), "no transactional positions are written");
        }
    }
}
