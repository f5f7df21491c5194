package io.dealflow.pipeline.publishing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.dealflow.events.v1.EventTypes;
import io.dealflow.pipeline.deal.CreateDeal;
import io.dealflow.pipeline.deal.LoseDeal;
import io.dealflow.pipeline.deal.Money;
import io.dealflow.pipeline.deal.MoveDealToStage;
import io.dealflow.pipeline.deal.WinDeal;
import io.dealflow.pipeline.config.Actor;
import io.dealflow.pipeline.support.IntegrationTest;
import io.dealflow.pipeline.support.SharedKafka;
import io.dealflow.pipeline.support.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static io.dealflow.pipeline.support.TopicReader.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

class PublishingTest extends IntegrationTest {

    @Autowired
    CommandGateway commands;
    @Autowired
    JdbcTemplate jdbc;

    private final ObjectMapper json = new ObjectMapper();
    private final JsonSchemaFactory schemas = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    @Test
    void everyStoredEventIsPublishedAsASchemaValidCloudEventKeyedByDeal() throws Exception {
        String won = UUID.randomUUID().toString();
        String lost = UUID.randomUUID().toString();
        Money amount = Money.of(new BigDecimal("999.50"), "USD");
        for (String id : List.of(won, lost)) {
            commands.sendAndWait(new CreateDeal(id, "default", null, "Deal " + id, amount, "bob", "referral",
                    LocalDate.parse("2027-03-01"), "Initech", "Peter"), Actor.metaData("bob"));
            commands.sendAndWait(new MoveDealToStage(id, "qualified", null), Actor.metaData("bob"));
            commands.sendAndWait(new MoveDealToStage(id, "demo", null), Actor.metaData("bob"));
        }
        commands.sendAndWait(new WinDeal(won, null), Actor.metaData("bob"));
        commands.sendAndWait(new LoseDeal(lost, "Timing", null, null), Actor.metaData("carol"));

        List<ConsumerRecord<String, byte[]>> records;
        try (TopicReader reader = new TopicReader(SharedKafka.get().bootstrapServers(), EventTypes.TOPIC)) {
            records = reader.readUntil(seen -> ofDeals(seen, won, lost).size() >= 8, Duration.ofSeconds(30))
                    .stream().filter(r -> Set.of(won, lost).contains(r.key())).toList();
        }
        assertEquals(8, records.size(), "4 events per deal, each exactly once");

        for (ConsumerRecord<String, byte[]> record : records) {
            String type = header(record, "ce_type");
            assertEquals("1.0", header(record, "ce_specversion"));
            assertEquals(record.key(), header(record, "ce_subject"));
            assertEquals(EventTypes.SOURCE, header(record, "ce_source"));
            assertNotNull(header(record, "ce_time"));
            long sequence = Long.parseLong(header(record, "ce_sequence"));
            String storedId = jdbc.queryForObject("select eventidentifier from domainevententry where aggregateidentifier = ? and sequencenumber = ?",
                    String.class, record.key(), sequence);
            assertEquals(storedId, header(record, "ce_id"), "ce_id is the stored event's id");

            JsonNode payload = json.readTree(record.value());
            var errors = schemas.getSchema(getClass().getClassLoader().getResourceAsStream(EventTypes.schemaResource(type))).validate(payload);
            assertEquals(Set.of(), errors, type + " " + payload);
        }
        List<String> wonTypes = records.stream().filter(r -> r.key().equals(won)).map(r -> header(r, "ce_type")).toList();
        assertEquals(List.of(EventTypes.DEAL_CREATED, EventTypes.DEAL_MOVED_TO_STAGE, EventTypes.DEAL_MOVED_TO_STAGE, EventTypes.DEAL_WON),
                wonTypes, "a deal's events keep their order");
        JsonNode lostEvent = json.readTree(records.stream().filter(r -> EventTypes.DEAL_LOST.equals(header(r, "ce_type"))).findFirst().orElseThrow().value());
        assertEquals("carol", lostEvent.get("actor").asText());
        assertEquals("demo", lostEvent.get("stage").get("id").asText());
        assertEquals(2, lostEvent.get("stage").get("position").asInt());
        assertEquals("CONSIDERATION", lostEvent.get("stage").get("phase").asText());
    }

    private static List<ConsumerRecord<String, byte[]>> ofDeals(List<ConsumerRecord<String, byte[]>> records, String... ids) {
        Set<String> wanted = Set.of(ids);
        return records.stream().filter(r -> wanted.contains(r.key())).toList();
    }
}
