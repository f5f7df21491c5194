package io.dealflow.pipeline.admin;

import io.dealflow.events.v1.EventTypes;
import io.dealflow.kafka.LocalKafka;
import io.dealflow.pipeline.support.Api;
import io.dealflow.pipeline.support.TestDatabase;
import io.dealflow.pipeline.support.TestKafka;
import io.dealflow.pipeline.support.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
