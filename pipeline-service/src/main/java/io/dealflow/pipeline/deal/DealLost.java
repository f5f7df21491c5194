package io.dealflow.pipeline.deal;

import java.time.Instant;

public record DealLost(String dealId, String pipelineId, StageSnapshot stage, String reason, String note,
                       Instant occurredAt) {
}
