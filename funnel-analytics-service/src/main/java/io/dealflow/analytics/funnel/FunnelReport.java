package io.dealflow.analytics.funnel;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The funnel of one pipeline: per open stage in pipeline order, and totals. */
@Serdeable
public record FunnelReport(String pipelineId, String pipelineName, Instant asOf, Map<String, String> filters,
                           List<StageFunnel> stages, Totals totals) {

    /**
     * @param reached        deals ever in this stage or a later one, or won
     * @param entered        deals ever in this very stage
     * @param current        open deals in it now
     * @param advanced       deals that were in it and later in a later stage, or won
     * @param lost           deals lost while in it
     * @param conversionRate reached of the next stage ÷ reached of this one (last stage: won ÷ reached); null if none reached
     */
    @Serdeable
    public record StageFunnel(String stageId, String name, int position, String phase, int probability, long reached,
                              long entered, long current, long advanced, long lost, Double conversionRate,
                              TimeInStage timeInStageHours) {
    }

    /**
     * Over finished visits (the deal left the stage): their number and exact mean; median and p90 are nearest-rank
     * values (the smallest stay with at least half / 90 % of the stays at or below it), accurate to within 2 %.
     */
    @Serdeable
    public record TimeInStage(long visits, Double mean, Double median, Double p90) {
    }

    @Serdeable
    public record Totals(long deals, long open, long won, long lost, Double winRate) {
    }
}
