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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.micrometer.core.instrument.MeterRegistry;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Re-publishing sends every stored event again, with the same ce_id and sequence. Own broker: it floods the topic.
 * The exact counts come first: the refused republish takes the publisher's segment away from it for a while, and an
 * at-least-once publisher then sends again what it had sent but not yet recorded.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
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
    @Order(2)
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

    @Autowired
    MeterRegistry meters;

    /**
     * The first time, the publisher takes the events as they were appended (commands and an import); a republish
     * deserialises them from the store. Both must put the same bytes on the topic: value and every header.
     */
    @Test
    @Order(1)
    void republishSendsEveryStoredEventAgainWithItsOriginalIdentityAndBytes() throws Exception {
        Api api = new Api(port);
        Api.Reply created = api.post("/api/v1/deals", "{\"title\": \"Again\", \"amount\": {\"value\": \"1.50\", \"currency\": \"EUR\"},"
                + " \"expectedCloseDate\": \"2027-02-01\", \"company\": \"Initech\"}",
                "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        assertEquals(201, created.status(), String.valueOf(created.body()));
        String deal = created.body().get("dealId").asText();
        String at = "/api/v1/deals/" + deal;
        assertEquals(200, api.post(at + "/moves", "{\"stageId\": \"demo\"}").status());
        assertEquals(200, api.call("PATCH", at, "{\"amount\": {\"value\": \"2.75\", \"currency\": \"EUR\"}, \"contact\": \"Peter\"}").status());
        assertEquals(201, api.post(at + "/activities", "{\"kind\": \"CALL\", \"note\": \"follow-up\"}").status());
        assertEquals(200, api.post(at + "/loss", "{\"reason\": \"Timing\", \"note\": \"next year\"}").status());
        assertEquals(200, api.post(at + "/reopen", "{\"stageId\": \"qualified\"}").status());
        assertEquals(200, api.post(at + "/win", null).status());
        Api.Reply imported = api.call("POST", "/api/v1/imports",
                "{\"externalId\": \"r-1\", \"title\": \"Imported\", \"amount\": {\"value\": \"1200.00\", \"currency\": \"USD\"},"
                        + " \"ownerId\": \"o-1\", \"source\": \"crm\", \"createdAt\": \"2026-01-05T09:00:00Z\", \"history\": ["
                        + "{\"type\": \"moved\", \"at\": \"2026-01-09T10:00:00Z\", \"stageId\": \"qualified\"},"
                        + "{\"type\": \"updated\", \"at\": \"2026-01-10T10:00:00Z\", \"amount\": {\"value\": \"1500.5\", \"currency\": \"USD\"}},"
                        + "{\"type\": \"lost\", \"at\": \"2026-02-01T10:00:00Z\", \"reason\": \"Price\"}]}\n",
                "Content-Type", "application/x-ndjson", "Idempotency-Key", "republish-" + System.nanoTime());
        assertEquals(202, imported.status(), String.valueOf(imported.body()));

        try (TopicReader reader = new TopicReader(KAFKA.bootstrapServers(), EventTypes.TOPIC)) {
            long[] stored = new long[1];
            List<ConsumerRecord<String, byte[]>> first = reader.readUntil(seen -> {
                try {
                    stored[0] = api.get("/api/v1/admin/store-counts").body().get("totalEvents").asLong();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                // this test's own events: seven commands, and the import's created, moved, updated, lost
                return seen.size() >= stored[0] && stored[0] >= 11;
            }, Duration.ofSeconds(30));
            assertEquals(stored[0], first.size(), "each stored event published once");
            assertTrue(appendedEventsTaken() >= 10,
                    "the commands' and the import's events were taken as appended, not read back: " + appendedEventsTaken());

            assertEquals(202, api.post("/api/v1/admin/republish", null).status());
            List<ConsumerRecord<String, byte[]>> all = reader.readUntil(seen -> seen.size() >= 2 * stored[0], Duration.ofSeconds(30));
            assertEquals(2 * stored[0], all.size(), "every stored event published a second time");
            Map<String, List<ConsumerRecord<String, byte[]>>> perId = all.stream()
                    .collect(Collectors.groupingBy(r -> TopicReader.header(r, "ce_id")));
            assertEquals(stored[0], perId.size(), "same ce_ids the second time");
            for (List<ConsumerRecord<String, byte[]>> copies : perId.values()) {
                assertEquals(2, copies.size());
                ConsumerRecord<String, byte[]> original = copies.get(0);
                ConsumerRecord<String, byte[]> again = copies.get(1);
                assertEquals(original.key(), again.key());
                assertEquals(new String(original.value(), StandardCharsets.UTF_8), new String(again.value(), StandardCharsets.UTF_8));
                assertEquals(headers(original), headers(again));
            }
        }
    }

    private double appendedEventsTaken() {
        var hits = meters.find("dealflow.publisher.events").tag("read", "memory").counter();
        return hits == null ? 0 : hits.count();
    }

    private static Map<String, String> headers(ConsumerRecord<String, byte[]> record) {
        Map<String, String> headers = new TreeMap<>();
        record.headers().forEach(h -> headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8)));
        return headers;
    }
}
