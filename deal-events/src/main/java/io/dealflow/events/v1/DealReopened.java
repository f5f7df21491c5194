package io.dealflow.events.v1;

import java.time.Instant;

/** A closed deal was reopened into {@code stage}; {@code previousStatus} is WON or LOST. */
public record DealReopened(String dealId, String pipelineId, String previousStatus, StageInfo stage,
                           Instant occurredAt, String actor) implements DealEvent {
}
