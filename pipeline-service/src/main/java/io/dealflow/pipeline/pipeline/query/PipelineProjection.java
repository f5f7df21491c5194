package io.dealflow.pipeline.pipeline.query;

import io.dealflow.pipeline.pipeline.PipelineChanged;
import io.dealflow.pipeline.pipeline.PipelineDefined;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.springframework.stereotype.Component;

@Component
@ProcessingGroup("pipeline-views")
class PipelineProjection {

    private final PipelineCatalog catalog;

    PipelineProjection(PipelineCatalog catalog) {
        this.catalog = catalog;
    }

    @EventHandler
    void on(PipelineDefined event, @SequenceNumber long sequence) {
        catalog.save(event.pipelineId(), event.name(), event.stages(), event.lostReasons(), event.occurredAt(), sequence);
    }

    @EventHandler
    void on(PipelineChanged event, @SequenceNumber long sequence) {
        catalog.save(event.pipelineId(), event.name(), event.stages(), event.lostReasons(), event.occurredAt(), sequence);
    }
}
