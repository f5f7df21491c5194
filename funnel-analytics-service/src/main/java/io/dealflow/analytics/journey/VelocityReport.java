package io.dealflow.analytics.journey;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Sales performance: win rate (won ÷ closed), average won deal size and sales cycle (created → won), and
 * velocity = open deals × average won size × win rate ÷ average cycle days (money per day). The median cycle is the
 * nearest-rank value within 1 % (read from logarithmic buckets); counts, sums and averages are exact. Money stays
 * per currency; {@code groups} repeats the figures per owner or source when asked.
 */
@Serdeable
public record VelocityReport(String pipelineId, Instant asOf, Map<String, String> filters, Figures total,
                             List<ReasonCount> lostReasons, String groupBy, List<Group> groups) {

    @Serdeable
    public record Figures(long openDeals, long wonDeals, long lostDeals, Double winRate, Double averageCycleDays,
                          Double medianCycleDays, List<CurrencyFigures> currencies) {
    }

    /** Per currency: open deals in it, average won size and the resulting velocity per day. */
    @Serdeable
    public record CurrencyFigures(String currency, long openDeals, long wonDeals, String averageWonSize, String velocityPerDay) {
    }

    @Serdeable
    public record ReasonCount(String reason, long deals) {
    }

    @Serdeable
    public record Group(String key, Figures figures) {
    }
}
