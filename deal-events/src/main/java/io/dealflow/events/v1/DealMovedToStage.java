package io.dealflow.events.v1;

import java.time.Instant;

public record DealMovedToStage(String dealId, String pipelineId, StageInfo from, StageInfo to,
                               Instant occurredAt, String actor) implements DealEvent {
}
