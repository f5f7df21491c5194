package io.dealflow.pipeline.deal;

import java.time.Instant;

public record ActivityLogged(String dealId, String pipelineId, String activityId, ActivityKind kind, String note, Instant occurredAt) {
}
