package io.dealflow.pipeline.publishing;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Splits the Kafka publisher's segments between the instances running it. Each instance records in the store that it
 * is alive every few seconds and counts the instances seen within the expiry; it then claims at most its fair share
 * (segments ÷ live instances, rounded up) and Axon's coordinator releases any surplus for the others to claim. An
 * instance that stops being seen (killed, cut off) no longer counts, so the others' shares grow and they take its
 * segments over once its claims on them time out.
 */
@Component
public class PublisherShare {

    private static final Logger log = LoggerFactory.getLogger(PublisherShare.class);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final ObjectProvider<EventProcessingConfiguration> processing;
    private final String instanceId = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID();
    private final long expirySeconds;
    private final AtomicInteger liveInstances = new AtomicInteger(1);
    // no limit until the first count: an instance alone must publish from its first moment
    private final AtomicInteger maxSegments = new AtomicInteger(Short.MAX_VALUE);

    public PublisherShare(JdbcTemplate jdbc, TransactionTemplate transaction, ObjectProvider<EventProcessingConfiguration> processing,
                          @Value("${dealflow.publisher.instance-expiry}") Duration expiry, MeterRegistry metrics) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.processing = processing;
        this.expirySeconds = Math.max(1, expiry.toSeconds());
        Gauge.builder("dealflow.publisher.instances", liveInstances, AtomicInteger::get)
                .description("Instances running the Kafka publisher, as this instance last counted them").register(metrics);
        Gauge.builder("dealflow.publisher.segments.claimed", this, PublisherShare::claimedSegments)
                .description("Segments of the Kafka publisher this instance works on").register(metrics);
    }

    /** The most segments this instance may claim now. */
    int maxSegments() {
        return maxSegments.get();
    }

    @Scheduled(fixedDelayString = "${dealflow.publisher.heartbeat}")
    void heartbeat() {
        try {
            transaction.executeWithoutResult(status -> {
                if (jdbc.update("update publisher_instance set last_seen = current_timestamp where instance_id = ?", instanceId) == 0) {
                    jdbc.update("insert into publisher_instance (instance_id, last_seen) values (?, current_timestamp)", instanceId);
                }
                jdbc.update("delete from publisher_instance where last_seen < current_timestamp - interval '" + expirySeconds * 3 + "' second");
            });
            int live = jdbc.queryForObject("select count(*) from publisher_instance where last_seen >= current_timestamp - interval '"
                    + expirySeconds + "' second", Integer.class);
            int segments = jdbc.queryForObject("select count(*) from tokenentry where processorname = ?", Integer.class,
                    DealEventPublisher.GROUP);
            live = Math.max(1, live);
            liveInstances.set(live);
            // before the first instance has created the segments, there is nothing to share
            maxSegments.set(segments == 0 ? Short.MAX_VALUE : (segments + live - 1) / live);
        } catch (DataAccessException e) {
            // keep the last share: the database being away stops the publisher anyway
            log.warn("Could not record this instance as a publisher ({}); keeping a share of {} segments", e.getMessage(), maxSegments.get());
        }
    }

    @PreDestroy
    void leave() {
        try {
            jdbc.update("delete from publisher_instance where instance_id = ?", instanceId);
        } catch (DataAccessException e) {
            log.debug("Could not remove this instance from the publishers", e);
        }
    }

    private double claimedSegments() {
        return processing.getObject().eventProcessor(DealEventPublisher.GROUP, StreamingEventProcessor.class)
                .map(processor -> processor.processingStatus().size())
                .orElse(0);
    }
}
