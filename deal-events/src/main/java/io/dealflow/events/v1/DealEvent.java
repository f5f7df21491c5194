package io.dealflow.events.v1;

import java.time.Instant;

/** Common shape of every public deal event. */
public sealed interface DealEvent
        permits DealCreated, DealUpdated, DealMovedToStage, DealWon, DealLost, DealReopened, DealActivityLogged {

    String dealId();

    String pipelineId();

    Instant occurredAt();

    String actor();
}
