package io.dealflow.analytics.ingest;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.time.Duration;

/**
 * How long a consumer waits before its next poll, so that a heavy stream (a bulk import) is applied in large batches.
 * Most of a batch's cost is per batch — its commit, the counters it writes back — so a consumer that takes each small
 * batch as it comes spends more CPU per event than one that gathers them (for the bench's import of 100,000 deals about
 * 40 % more), and on cores it shares with pipeline-service that CPU comes out of the writing. A batch of at least {@code after-records} records says the
 * stream is heavy: the consumer then waits {@code pause} before polling again. A full batch ({@code batch-size}) says
 * the projection is far behind (a rebuild, a restart): it goes on at once. Live traffic makes batches far smaller than
 * {@code after-records}, so its freshness does not change.
 */
@Singleton
public class BatchGathering {

    private final int afterRecords;
    private final int fullBatch;
    private final Duration pause;

    public BatchGathering(@Value("${dealflow.projection.gather.after-records}") int afterRecords,
                          @Value("${dealflow.projection.batch-size}") int fullBatch,
                          @Value("${dealflow.projection.gather.pause}") Duration pause) {
        this.afterRecords = afterRecords;
        this.fullBatch = fullBatch;
        this.pause = pause;
    }

    Duration pauseAfter(int records) {
        return records >= afterRecords && records < fullBatch ? pause : Duration.ZERO;
    }

    void pauseAfterBatchOf(int records) {
        Duration wait = pauseAfter(records);
        if (wait.isZero() || wait.isNegative()) {
            return;
        }
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
