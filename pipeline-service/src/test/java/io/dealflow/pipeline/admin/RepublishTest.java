package io.dealflow.pipeline.admin;

import io.dealflow.events.v1.EventTypes;
import io.dealflow.kafka.LocalKafka;
import io.dealflow.pipeline.publishing.DealEventPublisher;
import io.dealflow.pipeline.support.Api;
import io.dealflow.pipeline.support.TestDatabase;
import io.dealflow.pipeline.support.TestKafka;
import io.dealflow.pipeline.support.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Re-publishing sends every stored event again, with the same ce_id and sequence. Own broker: it floods the topic. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RepublishTest {

    private static final LocalKafka KAFKA = LocalKafka.onFreePort().start();

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        KAFKA.createTopics(6, EventTypes.TOPIC);
        TestKafka.register(registry, KAFKA::bootstrapServers);
        TestDatabase.register(registry);
    }

    @AfterAll
    static void stopBroker() {
        KAFKA.stop();
    }

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    /**
     * Another instance holds a claim on one of the publisher's segments (written into the token table as that instance
     * would, and kept fresh), so going back to the start cannot claim it: the republish is refused with a problem, and
     * the publisher still runs — a deal created afterwards reaches the topic.
     */
    @Test
    void aRepublishThatCannotResetLeavesThePublisherRunning() throws Exception {
        Api api = new Api(port);
        api.createDeal("{\"title\": \"Before\", \"amount\": {\"value\": \"1.00\", \"currency\": \"EUR\"}}");
        ScheduledExecutorService otherInstance = Executors.newSingleThreadScheduledExecutor();
        otherInstance.scheduleAtFixedRate(() -> jdbc.update(
                "update tokenentry set owner = 'another-instance', timestamp = ? where processorname = ? and segment = 0",
                Instant.now().toString(), DealEventPublisher.GROUP), 0, 200, TimeUnit.MILLISECONDS);
        try {
            Thread.sleep(1_000);
            Api.Reply refused = api.post("/api/v1/admin/republish", null);
            assertEquals(409, refused.status(), String.valueOf(refused.body()));
            assertEquals("https://dealflow.io/problems/publisher-not-reset", refused.type());
        } finally {
            otherInstance.shutdownNow();
            otherInstance.awaitTermination(5, TimeUnit.SECONDS);
            jdbc.update("update tokenentry set owner = null where processorname = ? and segment = 0", DealEventPublisher.GROUP);
        }
        String after = api.createDeal("{\"title\": \"After\", \"amount\": {\"value\": \"1.00\", \"currency\": \"EUR\"}}");
        try (TopicReader reader = new TopicReader(KAFKA.bootstrapServers(), EventTypes.TOPIC)) {
            List<ConsumerRecord<String, byte[]>> seen = reader.readUntil(
                    records -> records.stream().anyMatch(r -> after.equals(r.key())), Duration.ofSeconds(60));
            assertTrue(seen.stream().anyMatch(r -> after.equals(r.key())), "the publisher kept publishing");
        }
    }

    @Test
    void republishSendsEveryStoredEventAgainWithItsOriginalIdentity() throws Exception {
        Api api = new Api(port);
        String deal = api.createDeal("{\"title\": \"Again\", \"amount\": {\"value\": \"1.00\", \"currency\": \"EUR\"}}");
        api.post("/api/v1/deals/" + deal + "/moves", "{\"stageId\": \"demo\"}");
        api.post("/api/v1/deals/" + deal + "/win", null);
        long stored = api.get("/api/v1/admin/store-counts").body().get("totalEvents").asLong();

        try (TopicReader reader = new TopicReader(KAFKA.bootstrapServers(), EventTypes.TOPIC)) {
            List<ConsumerRecord<String, byte[]>> first = reader.readUntil(seen -> seen.size() >= stored, Duration.ofSeconds(30));
            assertEquals(stored, first.size(), "each stored event published once");

            assertEquals(202, api.post("/api/v1/admin/republish", null).status());
            List<ConsumerRecord<String, byte[]>> all = reader.readUntil(seen -> seen.size() >= 2 * stored, Duration.ofSeconds(30));
            assertEquals(2 * stored, all.size(), "every stored event published a second time");
            Map<String, Long> perId = all.stream().collect(Collectors.groupingBy(r -> TopicReader.header(r, "ce_id"), Collectors.counting()));
            assertEquals(stored, perId.size(), "same ce_ids the second time");
            assertEquals(Set.of(2L), Set.copyOf(perId.values()));
        }
    }
}
