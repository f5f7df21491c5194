package io.dealflow.analytics.ingest;

import io.micronaut.configuration.kafka.annotation.ErrorStrategy;
import io.micronaut.configuration.kafka.annotation.ErrorStrategyValue;
import io.micronaut.configuration.kafka.annotation.KafkaListener;
import io.micronaut.configuration.kafka.annotation.OffsetReset;
import io.micronaut.configuration.kafka.annotation.OffsetStrategy;
import io.micronaut.configuration.kafka.annotation.Topic;
import io.micronaut.context.annotation.Property;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.List;

/**
 * Consumes the deal-events topic in batches. The offsets are committed only after the method returned, that is after
 * the batch's database transaction committed. A failure re-delivers the batch, which is harmless because applying is
 * idempotent — which is also why the commit is asynchronous: a synchronous one held the consumer for a broker round trip
 * per batch (a third of its time at 500 events/s), and an offset commit lost in a crash only re-delivers what the read
 * model recognises as applied.
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
public class DealEventListener {

    public static final String CLIENT_ID = "funnel-projection";

    private final Ingestion ingestion;

    public DealEventListener(Ingestion ingestion) {
        this.ingestion = ingestion;
    }

    @Topic("${dealflow.topic}")
    public void receive(List<ConsumerRecord<String, byte[]>> records) {
        ingestion.ingest(records);
    }
}
