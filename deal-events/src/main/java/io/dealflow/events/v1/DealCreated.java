package io.dealflow.events.v1;

import java.time.Instant;
import java.time.LocalDate;

public record DealCreated(String dealId, String pipelineId, String title, Money amount, String ownerId, String source,
                          LocalDate expectedCloseDate, String company, String contact, StageInfo stage,
                          Instant occurredAt, String actor) implements DealEvent {
}
