package io.dealflow.pipeline.deal;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

public record MoveDealToStage(@TargetAggregateIdentifier String dealId, String stageId,
                             @TargetAggregateVersion Long expectedVersion) {
}
