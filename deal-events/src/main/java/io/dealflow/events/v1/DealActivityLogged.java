package io.dealflow.events.v1;

import java.time.Instant;

/** A call, meeting, email or note was logged on the deal. */
public record DealActivityLogged(String dealId, String pipelineId, String activityId, String kind, String note,
                                 Instant occurredAt, String actor) implements DealEvent {
}
