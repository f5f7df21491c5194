package io.dealflow.pipeline.deal;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

import java.util.Set;

/**
 * Changes the fields named in {@code fields} to their values in {@code values} (null clears an optional field);
 * fields not named stay as they are.
 */
public record UpdateDeal(@TargetAggregateIdentifier String dealId, Set<String> fields, DealFields values,
                         @TargetAggregateVersion Long expectedVersion) {
}
