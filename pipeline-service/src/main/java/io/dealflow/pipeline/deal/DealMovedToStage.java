package io.dealflow.pipeline.deal;

import java.time.Instant;

public record DealMovedToStage(String dealId, String pipelineId, StageSnapshot from, StageSnapshot to, Instant occurredAt) {
}
