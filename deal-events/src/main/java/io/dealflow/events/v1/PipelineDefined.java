package io.dealflow.events.v1;

import java.time.Instant;
import java.util.List;

/** A pipeline was defined, or its definition changed: the complete definition afterwards. */
public record PipelineDefined(String pipelineId, String name, List<PipelineStage> stages, List<String> lostReasons,
                              Instant occurredAt, String actor) {

    /** A stage of the pipeline in order; {@code rottingDays} may be null (never stalls). */
    public record PipelineStage(String id, String name, int position, int probability, String phase,
                                Integer rottingDays) {
    }
}
