package io.dealflow.pipeline.deal;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

public record LoseDeal(@TargetAggregateIdentifier String dealId, String reason, String note,
                       @TargetAggregateVersion Long expectedVersion) {
}
