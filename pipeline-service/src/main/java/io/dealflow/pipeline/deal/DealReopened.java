package io.dealflow.pipeline.deal;

import java.time.Instant;

public record DealReopened(String dealId, String pipelineId, DealStatus previousStatus, StageSnapshot stage, Instant occurredAt) {
}
