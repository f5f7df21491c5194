package io.dealflow.analytics.journey;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the forecast said at the start of each past month versus what was won in that month. The forecast for a
 * month is the open deals expected (as known then) to close in it, times the win probability learned from the
 * deals closed in the look-back window before that month start (and, for comparison, the configured one).
 * The calibration table holds, per stage, the learned probability against the share of those deals that were won.
 */
@Serdeable
public record BacktestReport(String pipelineId, Instant asOf, Map<String, String> filters, int lookbackDays,
                             List<Month> months, List<Calibration> calibration) {

    @Serdeable
    public record Month(String month, List<Result> currencies) {
    }

    /** {@code error*} = |forecast − won| ÷ won (null when nothing was won). */
    @Serdeable
    public record Result(String currency, long deals, String learnedForecast, String configuredForecast, String won,
                         Double learnedError, Double configuredError) {
    }

    @Serdeable
    public record Calibration(String stageId, long samples, Double meanLearnedProbability, Double meanConfiguredProbability,
                              Double observedWinRate) {
    }
}
