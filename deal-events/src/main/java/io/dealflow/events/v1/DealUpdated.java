package io.dealflow.events.v1;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** The deal's editable fields after the change, and the names of those that changed. */
public record DealUpdated(String dealId, String pipelineId, List<String> changed, String title, Money amount,
                          String ownerId, String source, LocalDate expectedCloseDate, String company, String contact,
                          Instant occurredAt, String actor) implements DealEvent {
}
