package io.dealflow.events.v1;

import java.time.Instant;

/** The deal closed as won while in {@code stage}, for {@code amount}. */
public record DealWon(String dealId, String pipelineId, StageInfo stage, Money amount,
                      Instant occurredAt, String actor) implements DealEvent {
}
