package io.dealflow.pipeline.deal;

import java.time.Instant;
import java.util.List;

/** The fields after the change, and what changed. */
public record DealUpdated(String dealId, String pipelineId, List<FieldChange> changes, DealFields fields, Instant occurredAt) {
}
