package io.dealflow.pipeline.deal;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

/** Reopens a closed deal into {@code stageId}, or into the stage it closed in when that is null. */
public record ReopenDeal(@TargetAggregateIdentifier String dealId, String stageId, @TargetAggregateVersion Long expectedVersion) {
}
