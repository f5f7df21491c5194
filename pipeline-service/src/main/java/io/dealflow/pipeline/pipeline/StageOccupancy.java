package io.dealflow.pipeline.pipeline;

/** How many deals (open or closed) currently sit in a stage: a stage that holds deals cannot be removed. */
@FunctionalInterface
public interface StageOccupancy {

    long dealsIn(String pipelineId, String stageId);
}
