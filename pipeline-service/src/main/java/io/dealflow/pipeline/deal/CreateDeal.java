package io.dealflow.pipeline.deal;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.LocalDate;

public record CreateDeal(@TargetAggregateIdentifier String dealId, String pipelineId, String stageId, String title,
                         Money amount, String ownerId, String source, LocalDate expectedCloseDate, String company,
                         String contact) {
}
