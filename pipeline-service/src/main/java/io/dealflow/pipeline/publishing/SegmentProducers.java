package io.dealflow.pipeline.publishing;

import io.cloudevents.CloudEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import io.cloudevents.kafka.CloudEventSerializer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.SerializedObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The publisher's Kafka side: one transactional producer per segment of the publishing processor. A batch's events and
 * the segment's new position (the token of the batch's last event) are committed to Kafka in one transaction, before
 * the token store records the batch. The producer's transactional id names the event store and the segment, so an
 * instance that takes a segment over fences the previous owner (its open transaction is aborted, any later one refused)
 * and then reads the segment's last position from Kafka: the events it covers are on the topic already and are not
 * sent again, also when the previous owner died between its Kafka commit and its token commit.
 * <p>
 * With transactions switched off ({@code dealflow.publisher.transactions}) all segments share one idempotent producer
 * and a batch's token commits once Kafka acknowledged its events: at least once — an instance that dies after the
 * acknowledgement and before its token commit has that batch sent again by the next owner — for less work per batch.
 */
@Component
class SegmentProducers {

    private static final Logger log = LoggerFactory.getLogger(SegmentProducers.class);
    private static final String TOKEN_TYPE = "token-type";

    private final Map<String, Object> producerConfig;
    private final Map<String, Object> consumerConfig;
    private final String positionsTopic;
    private final String transactionalIdPrefix;
    private final TokenStore tokenStore;
    private final Serializer serializer;
    private final Counter skipped;
    private final Map<Integer, SegmentProducer> producers = new ConcurrentHashMap<>();
    private final CloudEventSerializer cloudEvents = new CloudEventSerializer();
    private final boolean transactional;
    private volatile String storeId;
    private volatile KafkaProducer<String, byte[]> shared;

    SegmentProducers(KafkaProperties kafka, TokenStore tokenStore, @Qualifier("serializer") Serializer serializer,
                     @Value("${dealflow.publisher.positions-topic}") String positionsTopic,
                     @Value("${dealflow.publisher.transactional-id-prefix}") String transactionalIdPrefix,
                     @Value("${dealflow.publisher.transaction-timeout}") Duration transactionTimeout,
                     @Value("${dealflow.publisher.transactions}") boolean transactional,
                     MeterRegistry metrics) {
        this.transactional = transactional;
        this.producerConfig = new HashMap<>(kafka.buildProducerProperties(null));
        producerConfig.remove(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG);
        producerConfig.remove(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
        producerConfig.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) transactionTimeout.toMillis());
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        this.consumerConfig = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, producerConfig.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.positionsTopic = positionsTopic;
        this.transactionalIdPrefix = transactionalIdPrefix;
        this.tokenStore = tokenStore;
        this.serializer = serializer;
        this.skipped = Counter.builder("dealflow.publisher.skipped")
                .description("Events not sent again because the segment's previous owner had committed them to Kafka")
                .register(metrics);
    }

    /** The segment's producer, ready for a transaction; a new one fences any other instance's producer for the segment. */
    SegmentProducer forSegment(int segment) {
        return producers.computeIfAbsent(segment, this::open);
    }

    private SegmentProducer open(int segment) {
        if (!transactional) {
            return new SegmentProducer(segment, sharedProducer(), null, 0, null);
        }
        String store = storeId();
        Map<String, Object> config = new HashMap<>(producerConfig);
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalIdPrefix + "-" + store + "-" + segment);
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        try {
            producer.initTransactions();
            int partition = segment % producer.partitionsFor(positionsTopic).size();
            String key = store + "/" + segment;
            TrackingToken published = readPosition(key, new TopicPartition(positionsTopic, partition));
            log.info("Publishing segment {} with a transactional producer; on Kafka up to {}", segment, published);
            return new SegmentProducer(segment, producer, key, partition, published);
        } catch (RuntimeException e) {
            producer.close(Duration.ZERO);
            throw e;
        }
    }

    private synchronized KafkaProducer<String, byte[]> sharedProducer() {
        if (shared == null) {
            shared = new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
        }
        return shared;
    }

    private String storeId() {
        if (storeId == null) {
            storeId = tokenStore.retrieveStorageIdentifier().orElse("store");
        }
        return storeId;
    }

    /** The last position committed for the key: the partition is read backwards in growing windows until it is found. */
    private TrackingToken readPosition(String key, TopicPartition partition) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            long begin = consumer.beginningOffsets(List.of(partition)).get(partition);
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            for (long window = 16; ; window *= 4) {
                long from = Math.max(begin, end - window);
                consumer.seek(partition, from);
                ConsumerRecord<String, byte[]> last = null;
                while (consumer.position(partition) < end) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                        if (key.equals(record.key())) {
                            last = record;
                        }
                    }
                }
                if (last != null) {
                    return last.value() == null ? null : token(last);
                }
                if (from == begin) {
                    return null;
                }
            }
        }
    }

    private TrackingToken token(ConsumerRecord<String, byte[]> record) {
        String type = new String(record.headers().lastHeader(TOKEN_TYPE).value(), StandardCharsets.UTF_8);
        return serializer.deserialize(new SimpleSerializedObject<>(record.value(), byte[].class, type, null));
    }

    private void discard(SegmentProducer producer) {
        producers.remove(producer.segment, producer);
        producer.kafka.close(Duration.ZERO);
    }

    @PreDestroy
    void close() {
        if (transactional) {
            producers.values().forEach(p -> p.kafka.close(Duration.ofSeconds(5)));
        } else if (shared != null) {
            shared.close(Duration.ofSeconds(5));
            shared = null;
        }
        producers.clear();
    }

    /** One segment's producer and how far its events are on Kafka. Used by one processing thread at a time. */
    final class SegmentProducer {

        private final int segment;
        private final KafkaProducer<String, byte[]> kafka;
        private final String positionKey;
        private final int positionPartition;
        private final List<Future<RecordMetadata>> unacknowledged = new ArrayList<>();
        private TrackingToken published;
        private boolean inTransaction;

        private SegmentProducer(int segment, KafkaProducer<String, byte[]> kafka, String positionKey, int positionPartition,
                                TrackingToken published) {
            this.segment = segment;
            this.kafka = kafka;
            this.positionKey = positionKey;
            this.positionPartition = positionPartition;
            this.published = published;
        }

        void begin() {
            if (!transactional) {
                unacknowledged.clear();
                return;
            }
            try {
                kafka.beginTransaction();
            } catch (RuntimeException e) {
                discard(this);
                throw e;
            }
            inTransaction = true;
        }

        /**
         * Whether the event is on Kafka already: its previous owner committed it there but not its token. Replayed
         * events (a republish) always go out again.
         */
        boolean alreadyPublished(TrackingToken event) {
            if (published == null || event == null || ReplayToken.isReplay(event)) {
                return false;
            }
            boolean covered = published.covers(WrappedToken.unwrapLowerBound(event));
            if (covered) {
                skipped.increment();
            }
            return covered;
        }

        void send(String topic, String key, CloudEvent event) {
            Headers headers = new RecordHeaders();
            byte[] body = cloudEvents.serialize(topic, headers, event);
            Future<RecordMetadata> sent = kafka.send(new ProducerRecord<>(topic, null, key, body, headers));
            if (!transactional) {
                unacknowledged.add(sent);
            }
        }

        /** Commits the batch's events together with the segment's new position; after a failure neither is on Kafka. */
        void commit(TrackingToken last) {
            if (!transactional) {
                awaitAcknowledgements();
                return;
            }
            try {
                // what was on Kafka and what this batch read, together: a batch of events that were all there already
                // must not move the position back
                TrackingToken read = last == null ? null : WrappedToken.unwrapLowerBound(last);
                TrackingToken position = published == null ? read : read == null ? published : published.upperBound(read);
                if (position != null) {
                    SerializedObject<byte[]> serialized = serializer.serialize(position, byte[].class);
                    Headers headers = new RecordHeaders().add(TOKEN_TYPE, serialized.getType().getName().getBytes(StandardCharsets.UTF_8));
                    kafka.send(new ProducerRecord<>(positionsTopic, positionPartition, positionKey, serialized.getData(), headers));
                }
                kafka.commitTransaction();
                inTransaction = false;
                published = position;
            } catch (RuntimeException e) {
                abort(e);
                throw new DealEventPublisher.KafkaPublishException("Kafka did not take the batch; it will be retried", e);
            }
        }

        private void awaitAcknowledgements() {
            // the batch is complete: send what the producer holds back for linger.ms now, not after it
            kafka.flush();
            try {
                for (Future<RecordMetadata> sent : unacknowledged) {
                    sent.get(60, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DealEventPublisher.KafkaPublishException("Interrupted while waiting for Kafka", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new DealEventPublisher.KafkaPublishException("Kafka did not acknowledge the batch; it will be retried", e);
            } finally {
                unacknowledged.clear();
            }
        }

        /**
         * Ends the open transaction, if any. A producer that cannot abort cleanly (fenced by another instance, a commit
         * whose outcome is unknown, the broker away) is replaced: its successor's start completes or aborts whatever
         * this one left open, and then reads the position that is really on Kafka.
         */
        void abort(Throwable cause) {
            unacknowledged.clear();
            if (!inTransaction) {
                return;
            }
            inTransaction = false;
            if (unusable(cause)) {
                log.warn("Segment {}'s producer can no longer be used ({}); the next batch starts a new one", segment, cause.toString());
                discard(this);
                return;
            }
            try {
                kafka.abortTransaction();
            } catch (RuntimeException e) {
                discard(this);
            }
        }
    }

    private static boolean unusable(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException
                    || t instanceof OutOfOrderSequenceException || t instanceof AuthorizationException
                    || t instanceof org.apache.kafka.common.errors.TimeoutException) {
                return true;
            }
        }
        return false;
    }
}
