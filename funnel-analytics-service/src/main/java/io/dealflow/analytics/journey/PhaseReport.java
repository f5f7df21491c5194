package io.dealflow.analytics.journey;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The funnel rolled up into the customer-journey phases AWARENESS → INTEREST → CONSIDERATION → DECISION. */
@Serdeable
public record PhaseReport(String pipelineId, Instant asOf, Map<String, String> filters, List<Phase> phases,
                          long deals, long won, long lost, Double winRate) {

    /**
     * @param reached        deals ever in a stage of this phase or a later one, or won
     * @param entered        deals ever in a stage of this phase
     * @param current        open deals in a stage of this phase now
     * @param advanced       deals that were in this phase and later in a later phase, or won
     * @param lost           deals lost while in this phase
     * @param conversionRate reached of the next phase ÷ reached of this one (DECISION: won ÷ reached)
     */
    @Serdeable
    public record Phase(String phase, List<String> stageIds, long reached, long entered, long current, long advanced,
                        long lost, Double conversionRate) {
    }
}
