package io.dealflow.analytics.journey;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Per creation cohort (ISO week 2026-W48 or month 2026-11): created, won, lost, still open, conversion (won ÷ created). */
@Serdeable
public record TrendReport(String pipelineId, Instant asOf, Map<String, String> filters, String interval, List<Cohort> cohorts) {

    @Serdeable
    public record Cohort(String cohort, long created, long won, long lost, long open, Double conversion) {
    }
}
