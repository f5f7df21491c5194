package io.dealflow.analytics.ingest;

import io.dealflow.analytics.funnel.FunnelProjection;
import io.micronaut.configuration.kafka.annotation.ErrorStrategy;
import io.micronaut.configuration.kafka.annotation.ErrorStrategyValue;
import io.micronaut.configuration.kafka.annotation.KafkaListener;
import io.micronaut.configuration.kafka.annotation.OffsetReset;
import io.micronaut.configuration.kafka.annotation.OffsetStrategy;
import io.micronaut.configuration.kafka.annotation.Topic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Consumes the deal-events topic in batches. Unreadable records are parked on the dead-letter topic first;
 * then the whole batch is applied in one database transaction; only then are the offsets committed
 * (OffsetStrategy.SYNC after the method returns). A failure re-delivers the batch, which is harmless
 * because applying is idempotent.
 */
@KafkaListener(groupId = "${dealflow.consumer-group:funnel-analytics}", clientId = "funnel-projection",
        offsetReset = OffsetReset.EARLIEST, offsetStrategy = OffsetStrategy.SYNC, batch = true,
        errorStrategy = @ErrorStrategy(value = ErrorStrategyValue.RETRY_EXPONENTIALLY_ON_ERROR, retryCount = 1000,
                retryDelay = "200ms"))
public class DealEventListener {

    private static final Logger log = LoggerFactory.getLogger(DealEventListener.class);

    private final EventDecoder decoder;
    private final DeadLetters deadLetters;
    private final FunnelProjection projection;

    public DealEventListener(EventDecoder decoder, DeadLetters deadLetters, FunnelProjection projection) {
        this.decoder = decoder;
        this.deadLetters = deadLetters;
        this.projection = projection;
    }

    @Topic("${dealflow.topic}")
    public void receive(List<ConsumerRecord<String, byte[]>> records) {
        List<FunnelProjection.Delivery> deliveries = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> record : records) {
            DecodedEvent event = decoder.decode(record);
            if (event instanceof DecodedEvent.Poison poison) {
                log.warn("Dead-lettering {}/{}@{}: {}", record.topic(), record.partition(), record.offset(), poison.reason());
                deadLetters.park(record, poison.reason());
            } else if (event instanceof DecodedEvent.Unknown unknown) {
                log.info("Skipping unknown event type {} at {}/{}@{}", unknown.type(), record.topic(), record.partition(), record.offset());
            }
            deliveries.add(new FunnelProjection.Delivery(record.partition(), event));
        }
        projection.apply(deliveries);
    }
}
