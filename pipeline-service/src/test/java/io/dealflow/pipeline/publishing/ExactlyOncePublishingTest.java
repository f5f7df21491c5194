package io.dealflow.pipeline.publishing;

import io.dealflow.kafka.LocalKafka;
import io.dealflow.pipeline.config.Actor;
import io.dealflow.pipeline.deal.CreateDeal;
import io.dealflow.pipeline.deal.Money;
import io.dealflow.pipeline.support.IntegrationTest;
import io.dealflow.pipeline.support.TopicReader;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With the publisher's transactions on: each stored event is on the topic once for a read-committed consumer, also when the publisher's owner of a segment
 * dies between committing a batch to Kafka and recording it in the token store, and when a previous owner still has a
 * transaction open as the segment is taken over.
 */
class ExactlyOncePublishingTest extends IntegrationTest {

    private static final String TOPIC = "exactly-once-" + UUID.randomUUID();

    @DynamicPropertySource
    static void ownTopic(DynamicPropertyRegistry registry) {
        registry.add("dealflow.topic", () -> TOPIC);
        registry.add("dealflow.publisher.transactions", () -> "true");
        // several segments, each with a transactional producer of its own to take over
        registry.add("axon.eventhandling.processors.kafka-publisher.initial-segment-count", () -> "4");
    }

    @Autowired
    CommandGateway commands;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    EventProcessingConfiguration processing;
    @Autowired
    SegmentProducers producers;
    @Autowired
    TokenStore tokenStore;
    @Autowired
    MeterRegistry metrics;

    /**
     * The token store is put back to where it stood before a batch that is already on Kafka — as when an instance dies
     * after its Kafka commit and before its token commit — and the publisher starts afresh (new producers, as on the
     * instance taking over): the batch's events are read again from the store, and not sent again.
     */
    @Test
    void aBatchOnKafkaButNotInTheTokenStoreIsNotSentAgain() throws Exception {
        List<String> first = createDeals(3);
        awaitOnTopic(first);
        List<Map<String, Object>> tokensBefore = jdbc.queryForList(
                "select segment, token, tokentype from tokenentry where processorname = ?", DealEventPublisher.GROUP);

        List<String> batch = createDeals(20);
        awaitOnTopic(batch);

        StreamingEventProcessor publisher = publisher();
        publisher.shutdownAsync().join();
        for (Map<String, Object> token : tokensBefore) {
            jdbc.update("update tokenentry set token = ?, tokentype = ?, owner = null where processorname = ? and segment = ?",
                    token.get("token"), token.get("tokentype"), DealEventPublisher.GROUP, token.get("segment"));
        }
        producers.close();
        double skippedBefore = skipped();
        publisher.start();

        List<String> after = createDeals(2);
        List<ConsumerRecord<String, byte[]>> records = awaitOnTopic(after);
        assertEachStoredEventOnce(records);
        assertTrue(skipped() - skippedBefore >= batch.size(),
                "the events read again were recognised as on Kafka already: " + (skipped() - skippedBefore));
    }

    /**
     * A producer with the segment's transactional id (another instance, still alive) has sent an event in an open
     * transaction. When the segment is taken over, that transaction is aborted — the event never reaches a
     * read-committed consumer — and the old producer's late commit is refused.
     */
    @Test
    void aPreviousOwnersOpenTransactionIsAbortedAndItsCommitRefused() throws Exception {
        awaitOnTopic(createDeals(1));
        String store = tokenStore.retrieveStorageIdentifier().orElseThrow();
        List<KafkaProducer<String, byte[]>> zombies = new ArrayList<>();
        for (int segment = 0; segment < 4; segment++) {
            KafkaProducer<String, byte[]> zombie = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalKafka.shared().bootstrapServers(),
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG, TOPIC + ".publisher-" + store + "-" + segment),
                    new StringSerializer(), new ByteArraySerializer());
            zombie.initTransactions();
            zombie.beginTransaction();
            zombie.send(new ProducerRecord<>(TOPIC, "zombie", "from a previous owner".getBytes(StandardCharsets.UTF_8))).get();
            zombies.add(zombie);
        }

        StreamingEventProcessor publisher = publisher();
        publisher.shutdownAsync().join();
        producers.close();
        publisher.start();

        // enough deals that each of the four segments has a batch, and so takes its producer over
        List<ConsumerRecord<String, byte[]>> records = awaitOnTopic(createDeals(40));
        assertTrue(records.stream().noneMatch(r -> "zombie".equals(r.key())), "the previous owner's open transaction was aborted");
        for (KafkaProducer<String, byte[]> zombie : zombies) {
            assertThrows(ProducerFencedException.class, zombie::commitTransaction, "the previous owner is fenced");
            zombie.close(Duration.ZERO);
        }
        assertEachStoredEventOnce(records);
    }

    private void assertEachStoredEventOnce(List<ConsumerRecord<String, byte[]>> records) {
        Map<String, Long> perId = records.stream().filter(r -> TopicReader.header(r, "ce_id") != null)
                .collect(Collectors.groupingBy(r -> TopicReader.header(r, "ce_id"), Collectors.counting()));
        long stored = jdbc.queryForObject("select count(*) from domainevententry", Long.class);
        assertEquals(stored, perId.size(), "every stored event is on the topic");
        assertEquals(Map.of(), perId.entrySet().stream().filter(e -> e.getValue() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)), "no event is on the topic twice");
    }

    private StreamingEventProcessor publisher() {
        return processing.eventProcessor(DealEventPublisher.GROUP, StreamingEventProcessor.class).orElseThrow();
    }

    private double skipped() {
        return metrics.counter("dealflow.publisher.skipped").count();
    }

    private List<String> createDeals(int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = UUID.randomUUID().toString();
            commands.sendAndWait(new CreateDeal(id, "default", null, "Once " + i, Money.of(new BigDecimal("10.00"), "EUR"),
                    "bob", "referral", LocalDate.parse("2027-03-01"), "Initech", "Peter"), Actor.metaData("bob"));
            ids.add(id);
        }
        return ids;
    }

    /** Everything on the topic (read committed) once the given deals' events are there, and a second more. */
    private List<ConsumerRecord<String, byte[]>> awaitOnTopic(List<String> deals) throws InterruptedException {
        try (TopicReader reader = new TopicReader(LocalKafka.shared().bootstrapServers(), TOPIC)) {
            Function<List<ConsumerRecord<String, byte[]>>, Boolean> all = seen ->
                    seen.stream().map(ConsumerRecord::key).collect(Collectors.toSet()).containsAll(deals);
            reader.readUntil(all::apply, Duration.ofSeconds(60));
            Thread.sleep(1_000);
            return reader.readUntil(seen -> false, Duration.ofSeconds(1));
        }
    }
}
