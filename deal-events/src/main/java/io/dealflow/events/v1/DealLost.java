package io.dealflow.events.v1;

import java.time.Instant;

/** The deal closed as lost while in {@code stage}. */
public record DealLost(String dealId, String pipelineId, StageInfo stage, String reason, String note,
                       Instant occurredAt, String actor) implements DealEvent {
}
