package io.dealflow.analytics.freshness;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;

/**
 * How far behind the topic the read model is. {@code waitingEvents}: events that came before an earlier event of their
 * deal and wait for it ({@code oldestWaitingSince}: since when the longest-waiting one waits). {@code rebuilding}: a
 * rebuild is filling a new read model from the topic; until it is swapped in, every answer comes from the previous one.
 */
@Serdeable
public record Freshness(Instant asOf, Long newestEventAgeMillis, long totalLag, long waitingEvents, Instant oldestWaitingSince,
                        boolean rebuilding, List<PartitionLag> partitions) {

    /** {@code lag} = end offset − committed offset; null when the broker could not be asked. */
    @Serdeable
    public record PartitionLag(int partition, Long endOffset, Long committedOffset, Long lag, Instant newestEventAt,
                               long appliedEvents, long duplicateEvents, long unknownEvents, long deadLetters, long gapEvents) {
    }
}
