package io.dealflow.pipeline.pipeline;

import java.time.Instant;
import java.util.List;

/** Internal event: the complete definition of a pipeline after it was defined. */
public record PipelineDefined(String pipelineId, String name, List<Stage> stages, List<String> lostReasons,
                              Instant occurredAt) {
}
