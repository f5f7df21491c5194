package io.dealflow.pipeline.deal;

import java.time.Instant;

public record DealWon(String dealId, String pipelineId, StageSnapshot stage, Money amount, Instant occurredAt) {
}
