package io.dealflow.analytics.ingest;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchGatheringTest {

    private final BatchGathering gathering = new BatchGathering(500, 5000, Duration.ofMillis(200));

    @Test
    void liveTrafficsSmallBatchesArePolledAgainAtOnce() {
        assertEquals(Duration.ZERO, gathering.pauseAfter(1));
        assertEquals(Duration.ZERO, gathering.pauseAfter(499));
    }

    @Test
    void aLargeBatchOfAHeavyStreamWaitsForTheNextToGather() {
        assertEquals(Duration.ofMillis(200), gathering.pauseAfter(500));
        assertEquals(Duration.ofMillis(200), gathering.pauseAfter(4999));
    }

    @Test
    void aFullBatchMeansFarBehindAndGoesOnAtOnce() {
        assertEquals(Duration.ZERO, gathering.pauseAfter(5000));
    }

    @Test
    void aPauseOfZeroNeverWaits() {
        assertEquals(Duration.ZERO, new BatchGathering(500, 5000, Duration.ZERO).pauseAfter(1000));
    }

    @Test
    void theConsumerThreadWaitsThePauseAfterALargeBatch() {
        long started = System.nanoTime();
        gathering.pauseAfterBatchOf(1000);
        assertTrue(System.nanoTime() - started >= Duration.ofMillis(200).toNanos());
    }

    @Test
    void anInterruptedWaitEndsAndKeepsTheInterrupt() {
        Thread.currentThread().interrupt();
        long started = System.nanoTime();
        gathering.pauseAfterBatchOf(1000);
        assertTrue(Thread.interrupted());
        assertTrue(System.nanoTime() - started < Duration.ofMillis(200).toNanos());
    }
}
