package io.dealflow.pipeline.publishing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.dealflow.events.v1.EventTypes;
import io.dealflow.kafka.LocalKafka;
import io.dealflow.pipeline.config.Actor;
import io.dealflow.pipeline.deal.CreateDeal;
import io.dealflow.pipeline.deal.LoseDeal;
import io.dealflow.pipeline.deal.Money;
import io.dealflow.pipeline.deal.MoveDealToStage;
import io.dealflow.pipeline.deal.WinDeal;
import io.dealflow.pipeline.support.Api;
import io.dealflow.pipeline.support.IntegrationTest;
import io.dealflow.pipeline.support.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static io.dealflow.pipeline.support.TopicReader.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

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
        try (TopicReader reader = new TopicReader(LocalKafka.shared().bootstrapServers(), EventTypes.TOPIC)) {
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

    /**
     * The publisher reads the storage itself, a batch at a time: Axon's shared read-ahead (a thread fetching every
     * committed event into a list) kept all it had fetched since a lagging reader's position in memory, and an import
     * running ahead of the publisher filled the heap with it.
     */
    @Test
    void eventsNotYetPublishedStayInTheStoreNotInAReadAheadList() throws Exception {
        String id = UUID.randomUUID().toString();
        commands.sendAndWait(new CreateDeal(id, "default", null, "Deal " + id, Money.of(new BigDecimal("10.00"), "EUR"), "bob",
                null, null, null, null), Actor.metaData("bob"));
        try (TopicReader reader = new TopicReader(LocalKafka.shared().bootstrapServers(), EventTypes.TOPIC)) {
            assertEquals(1, ofDeals(reader.readUntil(seen -> !ofDeals(seen, id).isEmpty(), Duration.ofSeconds(30)), id).size());
        }
        List<String> readAhead = Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(name -> name.startsWith("EmbeddedEventStore")).toList();
        assertEquals(List.of(), readAhead, "no shared read-ahead thread");
    }

    @LocalServerPort
    int port;

    /** The request's trace context travels with the events it caused (CloudEvents distributed tracing); none is made up or passed on malformed. */
    @Test
    void eventsCarryTheTraceContextOfTheRequestThatCausedThem() throws Exception {
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        Api api = new Api(port);
        Api.Reply traced = api.call("POST", "/api/v1/deals", "{\"title\": \"Traced\", \"amount\": {\"value\": \"1\", \"currency\": \"EUR\"}}",
                "traceparent", traceparent);
        assertEquals(201, traced.status(), String.valueOf(traced.body()));
        String tracedDeal = traced.body().get("dealId").asText();
        assertEquals(200, api.call("POST", "/api/v1/deals/" + tracedDeal + "/moves", "{\"stageId\": \"qualified\"}",
                "traceparent", traceparent).status());
        Api.Reply untraced = api.call("POST", "/api/v1/deals", "{\"title\": \"Untraced\", \"amount\": {\"value\": \"1\", \"currency\": \"EUR\"}}");
        String untracedDeal = untraced.body().get("dealId").asText();
        Api.Reply malformed = api.call("POST", "/api/v1/deals", "{\"title\": \"Malformed\", \"amount\": {\"value\": \"1\", \"currency\": \"EUR\"}}",
                "traceparent", "00-not-a-trace-context");
        String malformedDeal = malformed.body().get("dealId").asText();

        List<ConsumerRecord<String, byte[]>> records;
        try (TopicReader reader = new TopicReader(LocalKafka.shared().bootstrapServers(), EventTypes.TOPIC)) {
            records = reader.readUntil(seen -> ofDeals(seen, tracedDeal, untracedDeal, malformedDeal).size() >= 4, Duration.ofSeconds(30))
                    .stream().filter(r -> Set.of(tracedDeal, untracedDeal, malformedDeal).contains(r.key())).toList();
        }
        assertEquals(4, records.size());
        for (ConsumerRecord<String, byte[]> record : records) {
            Header header = record.headers().lastHeader("ce_traceparent");
            if (record.key().equals(tracedDeal)) {
                assertNotNull(header, "the traced request's events carry its trace context");
                assertEquals(traceparent, new String(header.value(), StandardCharsets.UTF_8));
            } else {
                assertNull(header, "a request without a well-formed trace context gets none on its event (the contract's pattern)");
            }
        }
    }

    @Test
    void everyEventTypeIsPublishedSchemaValid() throws Exception {
        String deal = UUID.randomUUID().toString();
        String pipeline = "pub-" + UUID.randomUUID().toString().substring(0, 8);
        var stages = List.of(new io.dealflow.pipeline.pipeline.Stage("s1", "One", 10, io.dealflow.pipeline.pipeline.Phase.INTEREST, 3),
                new io.dealflow.pipeline.pipeline.Stage("s2", "Two", 60, io.dealflow.pipeline.pipeline.Phase.DECISION, null));
        commands.sendAndWait(new io.dealflow.pipeline.pipeline.DefinePipeline(pipeline, "Pub", stages, List.of("Price")), Actor.metaData("admin"));
        commands.sendAndWait(new io.dealflow.pipeline.pipeline.ChangePipeline(pipeline, "Pub renamed", stages, List.of("Price", "Timing"), null),
                Actor.metaData("admin"));
        commands.sendAndWait(new CreateDeal(deal, pipeline, null, "All types", Money.of(new BigDecimal("5"), "EUR"), "o", "s",
                null, null, null), Actor.metaData("u"));
        commands.sendAndWait(new io.dealflow.pipeline.deal.UpdateDeal(deal, Set.of("amount", "expectedCloseDate"),
                new io.dealflow.pipeline.deal.DealFields(null, Money.of(new BigDecimal("7.25"), "EUR"), null, null,
                        LocalDate.parse("2027-05-01"), null, null), null), Actor.metaData("u"));
        commands.sendAndWait(new io.dealflow.pipeline.deal.LogActivity(deal, "act-1", io.dealflow.pipeline.deal.ActivityKind.MEETING, "demo"),
                Actor.metaData("u"));
        commands.sendAndWait(new LoseDeal(deal, "Timing", null, null), Actor.metaData("u"));
        commands.sendAndWait(new io.dealflow.pipeline.deal.ReopenDeal(deal, "s2", null), Actor.metaData("u"));

        List<ConsumerRecord<String, byte[]>> records;
        try (TopicReader reader = new TopicReader(LocalKafka.shared().bootstrapServers(), EventTypes.TOPIC)) {
            records = reader.readUntil(seen -> ofDeals(seen, deal, pipeline).size() >= 7, Duration.ofSeconds(30));
        }
        records = ofDeals(records, deal, pipeline);
        List<String> types = records.stream().map(r -> header(r, "ce_type")).toList();
        assertEquals(List.of(EventTypes.PIPELINE_DEFINED, EventTypes.PIPELINE_CHANGED), types.stream().filter(t -> t.contains("pipeline")).toList());
        assertEquals(List.of(EventTypes.DEAL_CREATED, EventTypes.DEAL_UPDATED, EventTypes.DEAL_ACTIVITY_LOGGED, EventTypes.DEAL_LOST,
                EventTypes.DEAL_REOPENED), types.stream().filter(t -> t.contains(".deal.")).toList());
        for (ConsumerRecord<String, byte[]> record : records) {
            String type = header(record, "ce_type");
            JsonNode payload = json.readTree(record.value());
            var errors = schemas.getSchema(getClass().getClassLoader().getResourceAsStream(EventTypes.schemaResource(type))).validate(payload);
            assertEquals(Set.of(), errors, type + " " + payload);
        }
        JsonNode updated = json.readTree(records.stream().filter(r -> EventTypes.DEAL_UPDATED.equals(header(r, "ce_type"))).findFirst().orElseThrow().value());
        assertEquals(Set.of("amount", "expectedCloseDate"), Set.of(updated.get("changed").get(0).asText(), updated.get("changed").get(1).asText()));
        assertEquals("7.25", updated.get("amount").get("value").asText());
    }

    @Autowired
    org.springframework.transaction.PlatformTransactionManager transactions;

    @Test
    void anEventCommittedAfterALaterOneIsStillPublished() throws Exception {
        String slow = UUID.randomUUID().toString();
        String fast = UUID.randomUUID().toString();
        java.util.concurrent.CountDownLatch slowStored = new java.util.concurrent.CountDownLatch(1);
        Thread slowWriter = new Thread(() -> new org.springframework.transaction.support.TransactionTemplate(transactions).executeWithoutResult(tx -> {
            commands.sendAndWait(new CreateDeal(slow, "default", null, "Slow commit", Money.of(BigDecimal.ONE, "EUR"),
                    null, null, null, null, null), Actor.metaData("slow"));
            slowStored.countDown();
            try {
                Thread.sleep(4000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        slowWriter.start();
        slowStored.await();
        commands.sendAndWait(new CreateDeal(fast, "default", null, "Fast commit", Money.of(BigDecimal.ONE, "EUR"),
                null, null, null, null, null), Actor.metaData("fast"));
        Long slowIndex;
        slowWriter.join();
        slowIndex = jdbc.queryForObject("select globalindex from domainevententry where aggregateidentifier = ?", Long.class, slow);
        Long fastIndex = jdbc.queryForObject("select globalindex from domainevententry where aggregateidentifier = ?", Long.class, fast);
        org.junit.jupiter.api.Assertions.assertTrue(slowIndex < fastIndex, "the slow event has the lower index but committed last");

        try (TopicReader reader = new TopicReader(LocalKafka.shared().bootstrapServers(), EventTypes.TOPIC)) {
            List<ConsumerRecord<String, byte[]>> records = reader.readUntil(seen -> ofDeals(seen, slow, fast).size() >= 2, Duration.ofSeconds(30));
            assertEquals(Set.of(slow, fast), Set.copyOf(ofDeals(records, slow, fast).stream().map(ConsumerRecord::key).toList()),
                    "the gap left by the slow transaction was waited for, not skipped");
        }
    }

    private static List<ConsumerRecord<String, byte[]>> ofDeals(List<ConsumerRecord<String, byte[]>> records, String... ids) {
        Set<String> wanted = Set.of(ids);
        return records.stream().filter(r -> wanted.contains(r.key())).toList();
    }
}
