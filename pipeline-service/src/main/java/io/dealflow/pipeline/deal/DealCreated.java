package io.dealflow.pipeline.deal;

import java.time.Instant;
import java.time.LocalDate;

/** Internal event; the public contract is {@code io.dealflow.events.v1.DealCreated}. */
public record DealCreated(String dealId, String pipelineId, String title, Money amount, String ownerId, String source,
                          LocalDate expectedCloseDate, String company, String contact, StageSnapshot stage,
                          Instant occurredAt) {
}
