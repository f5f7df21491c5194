package io.dealflow.pipeline.pipeline;

import java.util.Optional;

/** Looks up pipeline definitions; what the deal aggregate validates stages and lost reasons against. */
@FunctionalInterface
public interface Pipelines {

    Optional<PipelineView> find(String pipelineId);
}
