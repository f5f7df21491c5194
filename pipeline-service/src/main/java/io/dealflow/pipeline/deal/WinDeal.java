package io.dealflow.pipeline.deal;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

public record WinDeal(@TargetAggregateIdentifier String dealId, @TargetAggregateVersion Long expectedVersion) {
}
