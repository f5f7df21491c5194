package io.dealflow.pipeline.deal;

import io.dealflow.pipeline.pipeline.Phase;
import io.dealflow.pipeline.pipeline.PipelineView;
import io.dealflow.pipeline.pipeline.Stage;

/** A stage as it was when the event happened: the event stays true if the pipeline changes later. */
public record StageSnapshot(String id, String name, int position, int probability, Phase phase) {

    public static StageSnapshot of(PipelineView pipeline, Stage stage) {
        return new StageSnapshot(stage.id(), stage.name(), pipeline.position(stage.id()), stage.probability(), stage.phase());
    }
}
