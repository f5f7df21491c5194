package io.dealflow.pipeline.deal;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record LogActivity(@TargetAggregateIdentifier String dealId, String activityId, ActivityKind kind, String note) {
}
