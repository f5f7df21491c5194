package io.dealflow.pipeline.publishing;

import io.dealflow.pipeline.support.IntegrationTest;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.util.function.IntSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The publisher's segments are shared between the instances the store knows to be alive: with a second live
 * instance recorded this one gives up half of its four segments, and takes them back when that instance is gone.
 */
class PublisherShareTest extends IntegrationTest {

    @DynamicPropertySource
    static void fourSegments(DynamicPropertyRegistry registry) {
        registry.add("axon.eventhandling.processors.kafka-publisher.initial-segment-count", () -> "4");
    }

    @Autowired
    PublisherShare share;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    EventProcessingConfiguration processing;

    @Test
    void aSecondLiveInstanceGetsHalfTheSegmentsAndTheyComeBackWhenItIsGone() throws Exception {
        StreamingEventProcessor publisher = processing.eventProcessor(DealEventPublisher.GROUP, StreamingEventProcessor.class).orElseThrow();
        IntSupplier claimed = () -> publisher.processingStatus().size();
        share.heartbeat();
        awaitEquals(4, claimed, "alone, this instance works on all four segments");

        try {
            jdbc.update("insert into publisher_instance (instance_id, last_seen) values ('other-instance', current_timestamp)");
            share.heartbeat();
            assertEquals(2, share.maxSegments(), "two live instances: a share of two segments each");
            awaitEquals(2, claimed, "the surplus is released for the other instance");
        } finally {
            jdbc.update("delete from publisher_instance where instance_id = 'other-instance'");
        }

        share.heartbeat();
        assertEquals(4, share.maxSegments(), "alone again");
        awaitEquals(4, claimed, "the released segments are claimed again once the other instance is gone");
    }

    @Test
    void anInstanceNotSeenWithinTheExpiryGetsNoShare() {
        try {
            jdbc.update("insert into publisher_instance (instance_id, last_seen) values ('silent-instance', current_timestamp - interval '60' second)");
            share.heartbeat();
            assertEquals(4, share.maxSegments(), "an instance last seen a minute ago is not counted");
            assertEquals(0, jdbc.queryForObject("select count(*) from publisher_instance where instance_id = 'silent-instance'", Integer.class),
                    "and its row is removed");
        } finally {
            jdbc.update("delete from publisher_instance where instance_id = 'silent-instance'");
        }
    }

    private static void awaitEquals(int expected, IntSupplier actual, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            if (actual.getAsInt() == expected) {
                return;
            }
            Thread.sleep(50);
        }
        fail(what + ": expected " + expected + " segments, found " + actual.getAsInt());
    }
}
