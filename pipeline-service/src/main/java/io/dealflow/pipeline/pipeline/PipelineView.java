package io.dealflow.pipeline.pipeline;

import java.util.List;
import java.util.Optional;

/** A pipeline as the rest of the service reads it. */
public record PipelineView(String id, String name, List<Stage> stages, List<String> lostReasons, long version) {

    public Optional<Stage> stage(String stageId) {
        return stages.stream().filter(s -> s.id().equals(stageId)).findFirst();
    }

    public int position(String stageId) {
        for (int i = 0; i < stages.size(); i++) {
            if (stages.get(i).id().equals(stageId)) {
                return i;
            }
        }
        return -1;
    }

    public Stage firstStage() {
        return stages.get(0);
    }
}
