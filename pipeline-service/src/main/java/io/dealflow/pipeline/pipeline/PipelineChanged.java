package io.dealflow.pipeline.pipeline;

import java.time.Instant;
import java.util.List;

/** Internal event: the complete definition of a pipeline after a change. */
public record PipelineChanged(String pipelineId, String name, List<Stage> stages, List<String> lostReasons,
                              Instant occurredAt) {
}
