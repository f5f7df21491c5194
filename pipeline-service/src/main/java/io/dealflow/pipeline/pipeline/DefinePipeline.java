package io.dealflow.pipeline.pipeline;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;

public record DefinePipeline(@TargetAggregateIdentifier String pipelineId, String name, List<Stage> stages,
                             List<String> lostReasons) {
}
