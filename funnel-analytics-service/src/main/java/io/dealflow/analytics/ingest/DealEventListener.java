package io.dealflow.analytics.ingest;

import io.dealflow.analytics.projection.ConsumedOffsets;
import io.micronaut.configuration.kafka.ConsumerSeekAware;
import io.micronaut.configuration.kafka.annotation.ErrorStrategy;
import io.micronaut.configuration.kafka.annotation.ErrorStrategyValue;
import io.micronaut.configuration.kafka.annotation.KafkaListener;
import io.micronaut.configuration.kafka.annotation.OffsetReset;
import io.micronaut.configuration.kafka.annotation.OffsetStrategy;
import io.micronaut.configuration.kafka.annotation.Topic;
import io.micronaut.context.annotation.Property;
import io.micronaut.configuration.kafka.seek.KafkaSeekOperation;
import io.micronaut.configuration.kafka.seek.KafkaSeeker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Consumes the deal-events topic in batches. The offsets are committed only after the method returned, that is after
 * the batch's database transaction committed. A failure re-delivers the batch, which is harmless because applying is
 * idempotent — which is also why the commit is asynchronous: a synchronous one held the consumer for a broker round trip
 * per batch (a third of its time at 500 events/s), and an offset commit lost in a crash only re-delivers what the read
 * model recognises as applied. An assigned partition is read from where the read model's own commits say
 * ({@link ConsumedOffsets}): what a crash took from a lazily written H2 file ({@code WRITE_DELAY} > 0) is read again.
 */
@KafkaListener(groupId = "${dealflow.consumer-group:funnel-analytics}", clientId = DealEventListener.CLIENT_ID,
        threadsValue = "${dealflow.projection.threads}", offsetReset = OffsetReset.EARLIEST, offsetStrategy = OffsetStrategy.ASYNC, batch = true,
        // a batch fails here only while the database does not answer (Ingestion parks records that cannot be applied):
        // try again every second for as long as that lasts, never skipping
        errorStrategy = @ErrorStrategy(value = ErrorStrategyValue.RETRY_ON_ERROR, retryCount = Integer.MAX_VALUE, retryDelay = "1s"),
        // here, not under kafka.consumers.*: that configuration is looked up by group id, which is configurable
        properties = {
            @Property(name = ConsumerConfig.MAX_POLL_RECORDS_CONFIG, value = "${dealflow.projection.batch-size}"),
            @Property(name = ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, value = "${dealflow.projection.partition-fetch-bytes}"),
            @Property(name = ConsumerConfig.ISOLATION_LEVEL_CONFIG, value = "read_committed")
        })
public class DealEventListener implements ConsumerSeekAware {

    public static final String CLIENT_ID = "funnel-projection";
    private static final Logger log = LoggerFactory.getLogger(DealEventListener.class);

    private final Ingestion ingestion;
    private final ConsumedOffsets consumed;
    private final BatchGathering gathering;

    public DealEventListener(Ingestion ingestion, ConsumedOffsets consumed, BatchGathering gathering) {
        this.ingestion = ingestion;
        this.consumed = consumed;
        this.gathering = gathering;
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions, KafkaSeeker seeker) {
        Map<Integer, Long> next;
        try {
            next = consumed.next();
        } catch (SQLException e) {
            // a generation made before the read model kept its offsets: its commits were synchronous, so the group's hold
            log.info("The read model holds no consumed offsets ({}); reading on from the group's committed offsets", e.getMessage());
            return;
        }
        for (TopicPartition partition : partitions) {
            Long offset = next.get(partition.partition());
            // a partition the read model has no progress of has had nothing applied from it (or lost all it had)
            seeker.perform(offset == null ? KafkaSeekOperation.seekToBeginning(partition) : KafkaSeekOperation.seek(partition, offset));
        }
    }

    @Topic("${dealflow.topic}")
    public void receive(List<ConsumerRecord<String, byte[]>> records) {
        ingestion.ingest(records);
        gathering.pauseAfterBatchOf(records.size());
    }
}
