package io.dealflow.pipeline.pipeline;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

import java.util.List;

/** Replaces the pipeline's definition; stages keep their ids across renames and reorders. */
public record ChangePipeline(@TargetAggregateIdentifier String pipelineId, String name, List<Stage> stages,
                             List<String> lostReasons, @TargetAggregateVersion Long expectedVersion) {
}
